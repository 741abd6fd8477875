// Reference photos from the office's files: a ZIP or photos named by ID number. A ZIP is unpacked
// here (fflate's unzip, ~3 KB gzip, inside the console's chunk: a chunk of its own would land in
// the phones' precache, decision 055) and the photos go to the server in parts of at most
// 20 (decision 058): each part is a short request while the server reads the faces, and the clerk
// sees the progress and every file's result as it comes.
import { unzipSync } from 'fflate';
import { createSignal, For, Show } from 'solid-js';
import { SETUP, type PhotoFileResult, type SetupRegions } from '../../shared/schemas/office-setup.ts';
import { formatCount } from './format.ts';
import { fileErrorText, photoResultText, st } from './setup-text.ts';
import { upload } from '../api/client.ts';

type Region = SetupRegions['regions'][number];

const PART_FILES = 20;
const PART_BYTES = 40 * 1024 * 1024;
const isHidden = (path: string) => path.split('/').some((s) => s.startsWith('.') || s === '__MACOSX');

/** The photos of the chosen files, ZIPs unpacked; what cannot be read is a result of its own. */
async function photosOf(files: File[]): Promise<{ photos: File[]; unreadable: PhotoFileResult[] }> {
  const photos: File[] = [];
  const unreadable: PhotoFileResult[] = [];
  for (const f of files) {
    if (!/\.zip$/i.test(f.name)) {
      photos.push(f);
      continue;
    }
    try {
      const entries = unzipSync(new Uint8Array(await f.arrayBuffer()), { filter: (e) => !e.name.endsWith('/') && !isHidden(e.name) });
      for (const [path, bytes] of Object.entries(entries)) photos.push(new File([bytes as Uint8Array<ArrayBuffer>], path.split('/').at(-1)!));
    } catch {
      unreadable.push({ name: f.name, outcome: 'error', message: st('o.setup.photos.zipUnreadable', { name: f.name }) });
    }
  }
  return { photos, unreadable };
}

function parts(photos: File[]): File[][] {
  const out: File[][] = [];
  let part: File[] = [];
  let bytes = 0;
  for (const p of photos) {
    if (part.length && (part.length >= PART_FILES || bytes + p.size > PART_BYTES)) {
      out.push(part);
      part = [];
      bytes = 0;
    }
    part.push(p);
    bytes += p.size;
  }
  if (part.length) out.push(part);
  return out;
}

export function PhotosSection(props: { region: Region }) {
  const [files, setFiles] = createSignal<File[]>([]);
  const [results, setResults] = createSignal<PhotoFileResult[]>([]);
  const [progress, setProgress] = createSignal<{ done: number; total: number } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | null>(null);
  const count = (o: PhotoFileResult['outcome']) => results().filter((r) => r.outcome === o).length;

  const start = async () => {
    setBusy(true);
    setFailure(null);
    setResults([]);
    try {
      const { photos, unreadable } = await photosOf(files());
      setResults(unreadable);
      setProgress({ done: 0, total: photos.length });
      for (const part of parts(photos)) {
        const form = new FormData();
        for (const p of part) form.append('file', p, p.name);
        const answer = await upload(SETUP.photos, form, { query: new URLSearchParams({ region: props.region.code }) });
        setResults((r) => [...r, ...answer.files]);
        setProgress((p) => ({ done: p!.done + part.length, total: p!.total }));
      }
    } catch (err) {
      setFailure(fileErrorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="o-card" aria-labelledby="o-photos-title" data-testid="setup-photos">
      <h2 id="o-photos-title">{st('o.setup.photos.title')}</h2>
      <p>{st('o.setup.photos.intro')}</p>
      <div class="o-upload-row">
        <label class="o-field-label" for="o-photos-file">
          {st('o.setup.photos.file')}
        </label>
        <input
          id="o-photos-file"
          class="o-file"
          type="file"
          multiple
          accept=".zip,.jpg,.jpeg,.png,image/jpeg,image/png,application/zip"
          data-testid="setup-photos-file"
          onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])}
        />
        <button type="button" class="o-button o-primary" disabled={!files().length || busy()} onClick={() => void start()} data-testid="setup-photos-start">
          {st('o.setup.photos.start')}
        </button>
      </div>
      <p class="o-muted">{st('o.setup.photos.slow')}</p>
      <Show when={progress()}>
        {(p) => (
          <div role="status" data-testid="setup-photos-progress">
            <progress class="o-progress" max={Math.max(1, p().total)} value={p().done} aria-label={st('o.setup.photos.progress', { done: p().done, total: p().total })} />
            <p>{st('o.setup.photos.progress', { done: formatCount(p().done), total: formatCount(p().total) })}</p>
          </div>
        )}
      </Show>
      <Show when={failure()}>
        {(f) => (
          <p class="o-alert" role="alert">
            {f()}
          </p>
        )}
      </Show>
      <Show when={results().length}>
        <p class="o-ok" data-testid="setup-photos-summary">
          {st('o.setup.photos.summary', { imported: count('imported'), already: count('already'), failed: count('error') })}
        </p>
        <div class="o-table-wrap">
          <table class="o-table o-setup-table" data-testid="setup-photos-results">
            <caption class="visually-hidden">{st('o.setup.photos.results')}</caption>
            <thead>
              <tr>
                <th scope="col">{st('o.setup.photos.fileName')}</th>
                <th scope="col">{st('o.setup.photos.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={results()}>
                {(r) => (
                  <tr>
                    <th scope="row" class="o-mono">
                      {r.name}
                    </th>
                    <td class={`o-wrap ${r.outcome === 'error' ? 'o-bad' : 'o-ok'}`}>{photoResultText(r)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
