// The check's screens (Before you start, the check itself with the liveness runtime, the result),
// shared by the retiree and family apps. They are loaded when a check starts, not with the first
// screen (docs/decisions/045); the service worker precaches their chunks, so this works offline.
import { later } from './later.tsx';

export type { CheckOutcome } from './FaceCheck.tsx';

export const Prepare = later(() => import('./Prepare.tsx').then((m) => m.Prepare));
export const FaceCheck = later(() => import('./FaceCheck.tsx').then((m) => m.FaceCheck));
export const CheckResult = later(() => import('./CheckResult.tsx').then((m) => m.CheckResult));

/** Starts loading all three at the "Start face check" tap, so the next screens are ready in time. */
export function preloadCheckScreens(): void {
  void Prepare.preload();
  void FaceCheck.preload();
  void CheckResult.preload();
}
