// The server's side of a shared contract (shared/contract.ts, decision 086): the answer is checked
// against the contract's answer type by the compiler, and a body is read with the contract's schema.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as v from 'valibot';
import type { AnswerOf, Endpoint } from '../../shared/contract.ts';
import { readJson } from './json.ts';

/** Answers with JSON the contract says this endpoint answers. */
export function reply<E extends Endpoint>(c: Context, _contract: E, body: AnswerOf<E>, status?: ContentfulStatusCode): Response {
  return c.json(body as object, status);
}

/** Reads and validates the JSON body with the contract's schema. */
export function readBody<S extends v.GenericSchema>(c: Context, contract: { readonly body: S }): Promise<v.InferOutput<S>> {
  return readJson(c, contract.body);
}
