import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';

/** Caps a route's body size; larger requests get 413 in the usual error shape. */
export const limitBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes`);
    },
  });
