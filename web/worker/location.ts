// Where the worker was, only when they ask for it (the permission prompt appears only then), and
// never a reason to lose a record: no fix within 10 s means no location.
import type { VisitLocation } from '../../shared/sync.ts';

export function currentLocation(timeoutMs = 10_000): Promise<VisitLocation | null> {
  const geo = typeof navigator === 'undefined' ? undefined : navigator.geolocation;
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs + 1_000);
    geo.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracyM: Math.min(100_000, p.coords.accuracy), at: Math.round(p.timestamp) });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
