// A visit without a passed check, recorded at the door: not at home, cannot do the check (photo,
// reason, password as signature), deceased (date if known, source), moved away (new address if
// known). Each with an optional note and, only if asked for, the location.
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { CANNOT_CHECK_REASONS, VISIT_LIMITS, type CannotCheckReason, type VisitKind } from '../../shared/sync.ts';
import { BadEvidenceError, canSignAttestations, NoSignatureKeyError, recordVisit, StorageFullError, type NewVisit } from '../data/index.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { attachCamera, openCamera, runtimeMessage, CameraError, type CameraHandle } from '../liveness/runtime/index.ts';
import { currentLocation } from './location.ts';
import { snapshotJpeg } from './photo.ts';
import type { RosterView } from './roster-view.ts';

export type OutcomeKind = VisitKind;

export function OutcomeScreen(props: { userId: number; retireeId: number; kind: OutcomeKind; roster: RosterView; done: () => void }) {
  const entry = () => props.roster.byId(props.retireeId);
  const [note, setNote] = createSignal('');
  const [withLocation, setWithLocation] = createSignal(false);
  const [reason, setReason] = createSignal<CannotCheckReason | null>(null);
  const [photo, setPhoto] = createSignal<Uint8Array | null>(null);
  const [photoUrl, setPhotoUrl] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [deceasedOn, setDeceasedOn] = createSignal('');
  const [source, setSource] = createSignal('');
  const [newAddress, setNewAddress] = createSignal('');
  const [error, setError] = createSignal('');
  const [info, setInfo] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [canSign, setCanSign] = createSignal(true);
  let video: HTMLVideoElement | undefined;
  let camera: CameraHandle | null = null;
  const attest = props.kind === 'cannot_check';

  onMount(async () => {
    if (!attest) return;
    setCanSign(await canSignAttestations());
    await openPreview();
  });
  onCleanup(() => {
    camera?.stop();
    if (photoUrl()) URL.revokeObjectURL(photoUrl());
  });

  async function openPreview() {
    try {
      camera = await openCamera('rear');
      if (video) await attachCamera(camera, video);
    } catch (err) {
      const code = err instanceof CameraError ? err.code : 'unknown';
      const m = runtimeMessage(`camera.${code}`, lang());
      setError(t('w.outcome.camera', { reason: `${m.title} ${m.action}` }));
    }
  }

  async function takePhoto() {
    setError('');
    try {
      const jpeg = await snapshotJpeg(video!);
      setPhoto(jpeg);
      if (photoUrl()) URL.revokeObjectURL(photoUrl());
      setPhotoUrl(URL.createObjectURL(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })));
    } catch (err) {
      setError(t('w.outcome.camera', { reason: err instanceof Error ? err.message : String(err) }));
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    setError('');
    if (attest) {
      if (!reason()) return setError(t('w.outcome.needReason'));
      if (!photo()) return setError(t('w.outcome.needPhoto'));
      if (!password()) return setError(t('w.outcome.needPassword'));
    }
    if (props.kind === 'deceased' && !source().trim()) return setError(t('w.outcome.needSource'));
    setBusy(true);
    try {
      const location = withLocation() ? await currentLocation() : null;
      if (withLocation() && !location) setInfo(t('w.outcome.locationFailed'));
      const common = { userId: props.userId, retireeId: props.retireeId, note: note(), location };
      // What was found, as the one Visit variant of this kind (shared/sync.ts).
      const found: NewVisit =
        props.kind === 'cannot_check' ? { ...common, kind: 'cannot_check', reason: reason()!, photo: photo()!, password: password() }
        : props.kind === 'deceased' ? { ...common, kind: 'deceased', deceasedOn: deceasedOn() || null, source: source() }
        : props.kind === 'moved' ? { ...common, kind: 'moved', newAddress: newAddress() || null }
        : { ...common, kind: 'not_home' };
      await recordVisit(found);
      setPassword('');
      camera?.stop();
      props.done();
    } catch (err) {
      setPassword('');
      if (err instanceof NoSignatureKeyError) setError(t('w.outcome.noKey'));
      else if (err instanceof StorageFullError) setError(t('storage.full'));
      else if (err instanceof BadEvidenceError) setError(t('w.outcome.needPhoto'));
      else setError(t('error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="w-screen" data-testid="outcome" data-kind={props.kind}>
      <h1 class="w-title">{t(`w.outcome.title.${props.kind}` as MessageKey, { name: entry()?.name ?? '' })}</h1>
      <form onSubmit={save} novalidate>
        <Show when={attest}>
          <Show when={!canSign()}>
            <p class="error" role="alert" data-testid="no-key">{t('w.outcome.noKey')}</p>
          </Show>
          <fieldset class="w-fieldset">
            <legend>{t('w.outcome.reason')}</legend>
            <For each={CANNOT_CHECK_REASONS}>
              {(r) => (
                <label class="w-choice">
                  <input type="radio" name="reason" value={r} checked={reason() === r} onChange={() => setReason(r)} />
                  {t(`w.outcome.reason.${r}` as MessageKey)}
                </label>
              )}
            </For>
          </fieldset>
          <p class="w-label">{t('w.outcome.photo')}</p>
          <div class="w-camera small">
            <Show when={photoUrl()} fallback={<video ref={video} muted playsinline autoplay />}>
              <img src={photoUrl()} alt={t('w.outcome.photo')} data-testid="photo-preview" />
            </Show>
          </div>
          <Show when={photo()}>{(p) => <p class="w-note">{t('w.outcome.photoSize', { kb: (p().length / 1024).toFixed(1) })}</p>}</Show>
          <button
            type="button"
            class="w-secondary"
            data-testid="take-photo"
            onClick={() => {
              if (photo()) {
                setPhoto(null);
                setPhotoUrl('');
                queueMicrotask(() => video && camera && void attachCamera(camera, video));
              } else void takePhoto();
            }}
          >
            {photo() ? t('w.outcome.retake') : t('w.outcome.takePhoto')}
          </button>
        </Show>
        <Show when={props.kind === 'deceased'}>
          <label for="w-deceased-on">{t('w.outcome.deceasedOn')}</label>
          <input id="w-deceased-on" type="date" value={deceasedOn()} onInput={(e) => setDeceasedOn(e.currentTarget.value)} />
          <label for="w-source">{t('w.outcome.source')}</label>
          <input id="w-source" maxlength={VISIT_LIMITS.maxSource} value={source()} onInput={(e) => setSource(e.currentTarget.value)} />
        </Show>
        <Show when={props.kind === 'moved'}>
          <label for="w-new-address">{t('w.outcome.newAddress')}</label>
          <input id="w-new-address" maxlength={VISIT_LIMITS.maxAddress} value={newAddress()} onInput={(e) => setNewAddress(e.currentTarget.value)} />
        </Show>
        <label for="w-note">{t('w.outcome.note')}</label>
        <textarea id="w-note" class="w-textarea" maxlength={VISIT_LIMITS.maxNote} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        <label class="w-choice">
          <input type="checkbox" checked={withLocation()} onChange={(e) => setWithLocation(e.currentTarget.checked)} />
          {t('w.outcome.location')}
        </label>
        <p class="w-note">{t('w.outcome.locationHint')}</p>
        <Show when={attest}>
          <label for="w-password">{t('w.outcome.password')}</label>
          <input id="w-password" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
          <p class="w-note">{t('w.outcome.passwordHint')}</p>
        </Show>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <Show when={info()}>
          <p class="w-note" role="status">{info()}</p>
        </Show>
        <button type="submit" class="w-primary" data-testid="save-outcome" disabled={busy() || (attest && !canSign())}>{t('w.outcome.save')}</button>
        <button type="button" class="w-secondary" onClick={() => props.done()}>{t('w.back')}</button>
      </form>
    </main>
  );
}
