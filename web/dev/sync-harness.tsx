// Test-only page (built only by `vite build --mode test`): drives the REAL phone data layer — a
// challenge from the cache, a synthetic result that answers it, real JPEG key frames drawn on a
// canvas, recordAttempt(), the sync engine with its triggers — and shows the same sync components
// as the home screen. The check screen itself is another issue; the e2e tests use this instead.
import { createSignal, Show } from 'solid-js';
import { render } from 'solid-js/web';
import type { Verdict } from '../../shared/liveness.ts';
import { syntheticOgg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { AttemptList } from '../components/AttemptList.tsx';
import { SyncStatus } from '../components/SyncStatus.tsx';
import { appDb, getSetting } from '../data/db.ts';
import { beginCheck, recordAttempt, sendNow, startSync } from '../data/index.ts';
import { blobCount, cachedChallengeCount, rosterOf } from '../data/store.ts';
import type { SyncUser } from '../data/phone-sync.ts';
import { registerServiceWorker } from '../pwa/sw-register.ts';

async function jpegFrame(seed: number): Promise<Uint8Array> {
  const canvas = document.createElement('canvas');
  canvas.width = 240;
  canvas.height = 320;
  const g = canvas.getContext('2d')!;
  const grad = g.createLinearGradient(0, 0, 240, 320);
  grad.addColorStop(0, '#c9b8a6');
  grad.addColorStop(1, '#5a4a3c');
  g.fillStyle = grad;
  g.fillRect(0, 0, 240, 320);
  g.fillStyle = '#e0c2a2';
  g.beginPath();
  g.ellipse(120, 150, 70, 95, 0, 0, Math.PI * 2);
  g.fill();
  let x = seed * 9301 + 49297;
  for (let i = 0; i < 1500; i++) {
    x = (x * 9301 + 49297) % 233280;
    g.fillStyle = `rgba(${x % 255},${(x >> 3) % 255},${(x >> 5) % 255},0.25)`;
    g.fillRect(x % 240, (x >> 2) % 320, 3, 3);
  }
  for (let quality = 0.8; ; quality -= 0.1) {
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', quality));
    if (blob.size <= 18_000 || quality < 0.3) return new Uint8Array(await blob.arrayBuffer());
  }
}

const METHOD = { retiree: 'self', family: 'family', worker: 'worker' } as const;

async function main() {
  registerServiceWorker();
  const db = appDb();
  const user = await getSetting(db, 'currentUser');
  const [ready, setReady] = createSignal(false);

  const harness = {
    user,
    async createAttempt(opts: { verdict?: Verdict; frames?: number; audio?: boolean } = {}): Promise<string> {
      if (!user || user.role === 'admin') throw new Error('sign in as a retiree, family member or worker first');
      const roster = await rosterOf(db, user.id);
      const retireeId = roster[0]?.retireeId;
      if (!retireeId) throw new Error('no retiree cached yet');
      const challenge = await beginCheck(user.id);
      const frames: Uint8Array[] = [];
      for (let i = 0; i < (opts.frames ?? 2); i++) frames.push(await jpegFrame(i + 1));
      return recordAttempt({
        userId: user.id,
        retireeId,
        method: METHOD[user.role],
        challenge,
        result: syntheticResult(challenge, opts.verdict ?? 'passed'),
        frames,
        audio: opts.audio ? { data: syntheticOgg(12_000), type: 'audio/ogg;codecs=opus', durationMs: 4_000 } : null,
      });
    },
    async attempt(id: string) {
      return (await db.attempts.get(id)) ?? null;
    },
    blobCount: (id?: string) => blobCount(db, id),
    challengeCount: () => (user ? cachedChallengeCount(db, user.id) : Promise.resolve(0)),
    outboxCount: () => db.outbox.count(),
    sendNow,
  };
  (window as unknown as { harness: typeof harness }).harness = harness;

  if (user) startSync(user);
  render(
    () => (
      <main class="screen" data-testid="harness" data-ready={String(ready())}>
        <h1>Sync harness</h1>
        <Show when={user} fallback={<p>No user has signed in on this phone yet.</p>}>
          {(u) => (
            <>
              <SyncStatus userId={u().id} />
              <AttemptList userId={u().id} limit={50} />
            </>
          )}
        </Show>
      </main>
    ),
    document.getElementById('app')!,
  );
  setReady(true);
}

void main();
