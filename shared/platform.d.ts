// The Web-platform globals shared/ may use: every browser, Web Worker, service worker and Node ≥ 20
// has them. Declared by hand because shared/ compiles with neither the DOM nor the Node types
// (tsconfig.shared.json, decision 083), so anything else a shared file reaches for fails to compile.
// Only tsconfig.shared.json sees this file; web and server code get the real types from their libs.

interface SharedSubtleCrypto {
  importKey(format: string, keyData: BufferSource, algorithm: unknown, extractable: boolean, usages: string[]): Promise<unknown>;
  encrypt(algorithm: unknown, key: unknown, data: BufferSource): Promise<ArrayBuffer>;
}

type BufferSource = ArrayBufferView | ArrayBuffer;

declare var crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  readonly subtle: SharedSubtleCrypto;
};
declare function btoa(data: string): string;
declare function atob(data: string): string;
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
