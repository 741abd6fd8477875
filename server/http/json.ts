import type { Context } from 'hono';
import * as v from 'valibot';
import { fieldIssues } from '../../shared/schemas/issues.ts';
import { AppError, clip } from '../errors.ts';

/**
 * Reads a JSON body and validates it with a shared schema. Every failure is a 4xx with a message
 * that says what was wrong: not JSON, malformed, or which field failed which rule.
 */
export async function readJson<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new AppError(400, 'malformed_json', 'The body is not valid JSON');
  }
  // Every API body is an object; say so plainly instead of listing each missing key of an array.
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError(400, 'validation_failed', 'The body must be a JSON object');
  }
  return validate(schema, body);
}

// Valibot's messages quote the value received and paths repeat the keys sent, so an error listing
// every issue in full was larger than the request (a 79 KB push got a 158 KB answer, issue 15).
const MAX_ISSUES = 10;
const MAX_ISSUE_PATH = 100;
const MAX_ISSUE_MESSAGE = 200;

/** Validates a value with a shared schema; 400 validation_failed naming the first bad field. */
export function validate<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) {
    const all = fieldIssues(result.issues);
    const issues = all.slice(0, MAX_ISSUES).map((i) => ({ path: clip(i.path, MAX_ISSUE_PATH), message: clip(i.message, MAX_ISSUE_MESSAGE) }));
    const first = issues[0]!;
    const omitted = all.length - issues.length;
    throw new AppError(400, 'validation_failed', first.path ? `${first.path}: ${first.message}` : first.message, omitted ? { issues, omittedIssues: omitted } : { issues });
  }
  return result.output;
}

/** A positive integer route parameter, or 404 (a malformed id names nothing). */
export function idParam(c: Context, name: string): number {
  const raw = c.req.param(name) ?? '';
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError(404, 'not_found', 'Not found');
  return id;
}
