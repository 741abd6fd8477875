// Uploads a file (or a form of files) as the request body, the way the year set-up sends lists and
// photos; answers and errors as web/api/client.ts has them.
import type { ApiErrorBody } from '../../shared/errors.ts';
import { ApiError } from '../api/client.ts';

export async function upload<T>(path: string, body: Blob | FormData): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      // A CSV's type depends on the browser and the system (often empty): the server reads the bytes.
      headers: body instanceof FormData ? {} : { 'Content-Type': 'application/octet-stream' },
      body,
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : 'Network error');
  }
  const answer: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (answer as ApiErrorBody | null)?.error;
    throw new ApiError(res.status, error?.code ?? 'internal', error?.message ?? `HTTP ${res.status}`, error?.details ?? {});
  }
  return answer as T;
}
