// The build's list of liveness assets and voice clips with sizes and SHA-256
// (scripts/lib/pwa-assets.ts makes it from public/ at build time).
import assetList from 'virtual:stillhere-assets';
import type { AssetEntry } from './assets.ts';

export const ALL_ASSETS: readonly AssetEntry[] = assetList;
