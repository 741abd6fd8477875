// One contract per endpoint (issue 21 §2, decision 086): its method, its full path with `:name`
// parameters, the valibot schema of its JSON body (when it takes one) and the type of its answer.
// A resource's contracts live in its module under shared/schemas/, beside the request schemas the
// server already validates with. The server answers through `reply(c, contract, body)`
// (server/http/reply.ts), so the compiler checks the body against the contract; the phone and the
// office console ask through `call(contract, …)` (web/api/client.ts), which takes the parameters
// and the body the contract names and returns its answer type, with no cast at the call.
import type { GenericSchema, InferInput } from 'valibot';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

type AnySchema = GenericSchema;

export interface Endpoint<M extends Method = Method, P extends string = string, S extends AnySchema | null = AnySchema | null, R = unknown> {
  readonly method: M;
  /** The full path as the server routes it, `:name` for a parameter: '/api/retirees/:id/status'. */
  readonly path: P;
  /** The JSON body's schema (the server validates with it), or null when the endpoint takes none. */
  readonly body: S;
  /** Never set: it carries the answer's type for the compiler. */
  readonly answer?: R;
}

/** The names of a path's `:name` parameters. */
export type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamsOf<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;

export type AnswerOf<E> = E extends Endpoint<Method, string, AnySchema | null, infer R> ? R : never;
/** What the caller sends: the schema's input (before its trims and transforms). */
export type BodyOf<E> = E extends Endpoint<Method, string, infer S, unknown> ? (S extends AnySchema ? InferInput<S> : never) : never;

/** Marks an answer type in a contract: `answer: answer<Me>()`. Returns nothing at run time. */
export const answer = <R>(): R | undefined => undefined;

export function endpoint<const M extends Method, const P extends string, R, S extends AnySchema | null = null>(def: { method: M; path: P; body?: S; answer: R | undefined }): Endpoint<M, P, S, R> {
  return { method: def.method, path: def.path, body: (def.body ?? null) as S };
}

/** The path with its parameters filled in (encoded), and the query when there is one. */
export function pathOf(path: string, params: Record<string, string | number> = {}, query?: string | { toString(): string }): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
  const q = query === undefined ? '' : String(query);
  return q ? `${filled}?${q}` : filled;
}

/** An answer that only says it worked. */
export interface Ok {
  ok: true;
}
