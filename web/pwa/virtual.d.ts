// Made at build time by scripts/lib/pwa-assets.ts.
declare module 'virtual:stillhere-assets' {
  const assets: { url: string; bytes: number; sha256: string; group: string }[];
  export default assets;
}
