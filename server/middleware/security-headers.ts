import { secureHeaders } from 'hono/secure-headers';

// Everything from our own origin. 'wasm-unsafe-eval' lets MediaPipe compile its WebAssembly; no
// 'unsafe-eval' or 'unsafe-inline' for scripts. blob: for images and media covers key-frame
// previews and recorded audio held in memory.
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  mediaSrc: ["'self'", 'blob:'],
  styleSrc: ["'self'"],
  fontSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: CSP,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: 'no-referrer',
    permissionsPolicy: { camera: ['self'], microphone: ['self'], geolocation: ['self'] },
  });
