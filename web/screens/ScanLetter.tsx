// First use: the rear camera reads the QR code on the activation letter (decision 064), so the
// retiree does not type 18 + 8 digits. What the code holds is checked (shared/activation-qr.ts):
// another QR code, a damaged one or one from a later letter format each says what to do, aloud too.
// "手动输入" is always there, and is what remains when there is no camera or it is refused.
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { parseActivationQr, type ActivationQr, type ActivationQrProblem } from '../../shared/activation-qr.ts';
import { say } from '../components/speech.ts';
import { t } from '../i18n/index.ts';
import { CameraError, openCamera, type CameraHandle } from '../liveness/runtime/camera.ts';
import { createQrReader, type QrEngine } from './qr-reader.ts';

export type ScanProblem = ActivationQrProblem | 'denied' | 'noCamera';

/** Time between two looks at the picture: quick enough to feel instant, light on an old phone. */
const LOOK_EVERY_MS = 150;
/** The same problem is said again only after this long (the person may still be holding the wrong paper). */
const REPEAT_AFTER_MS = 8_000;

export function ScanLetter(props: { onScanned(value: ActivationQr): void; onManual(): void }) {
  const [phase, setPhase] = createSignal<'starting' | 'scanning' | 'no-camera'>('starting');
  const [problem, setProblem] = createSignal<ScanProblem | null>(null);
  const [engine, setEngine] = createSignal<QrEngine | ''>('');
  let video!: HTMLVideoElement;
  let camera: CameraHandle | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let lastSaid: { problem: ScanProblem; at: number } | null = null;

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    camera?.stop();
    camera = null;
  };
  onCleanup(stop);

  function report(p: ScanProblem) {
    setProblem(p);
    const now = Date.now();
    if (lastSaid?.problem === p && now - lastSaid.at < REPEAT_AFTER_MS) return;
    lastSaid = { problem: p, at: now };
    say(`say.scan.${p}`);
  }

  onMount(async () => {
    say('say.scan.aim');
    try {
      camera = await openCamera('rear');
      if (stopped) return camera.stop();
      video.srcObject = camera.stream;
      await video.play().catch(() => undefined);
      camera.onEnded(() => {
        if (!stopped) noCamera('noCamera');
      });
      const reader = await createQrReader();
      if (stopped) return;
      setEngine(reader.engine);
      setPhase('scanning');
      const look = async () => {
        if (stopped) return;
        const text = await reader.read(video);
        if (stopped) return;
        if (text !== null) {
          const scanned = parseActivationQr(text);
          if (scanned.ok) {
            stop();
            props.onScanned(scanned.value);
            return;
          }
          report(scanned.problem);
        }
        timer = setTimeout(() => void look(), LOOK_EVERY_MS);
      };
      void look();
    } catch (err) {
      if (!stopped) noCamera(err instanceof CameraError && err.code === 'permission_denied' ? 'denied' : 'noCamera');
    }
  });

  function noCamera(p: 'denied' | 'noCamera') {
    camera?.stop();
    camera = null;
    setPhase('no-camera');
    report(p);
  }

  return (
    <section class="scan" data-testid="scan-letter" data-phase={phase()} data-engine={engine()} data-problem={problem() ?? ''}>
      <Show when={phase() !== 'no-camera'}>
        <div class="scan-frame" role="img" aria-label={t('scan.camera')}>
          <video ref={video} class="scan-video" muted playsinline autoplay aria-hidden="true" />
          <div class="scan-square" aria-hidden="true" />
        </div>
      </Show>
      <p class="scan-say" classList={{ error: !!problem() }} role={problem() ? 'alert' : 'status'} data-testid="scan-message">
        {problem() ? t(`say.scan.${problem()!}`) : phase() === 'starting' ? t('scan.starting') : t('say.scan.aim')}
      </p>
      <div class="main-action">
        <button class={phase() === 'no-camera' ? 'primary' : 'secondary'} type="button" data-testid="scan-manual" onClick={() => props.onManual()}>
          {t('scan.manual')}
        </button>
      </div>
    </section>
  );
}
