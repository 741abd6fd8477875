// `npm run admin -- import-photos --dir DIR | --zip FILE.zip`: the photos the office already holds
// become reference faces (issue 14). Files are named by the retiree's ID number, with an optional
// suffix for several photos of one person: 110199194903120021.jpg, 110199194903120021_2.jpg,
// 110199194903120021-2019.png. Each file gets one result line, in name order; the checks and the
// write are addOfficePhoto's, so a photo imported twice (same bytes) adds nothing the second time.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { parseIdNumber, type IdNumberProblem } from '../../shared/id-number.ts';
import type { Db } from '../db/sqlite.ts';
import { AppError } from '../errors.ts';
import type { FaceReader } from '../identity/match-queue.ts';
import { addOfficePhoto, checkOfficePhoto, MAX_PHOTO_BYTES, PHOTO_PROBLEM_TEXT, type PhotoProblem } from '../identity/reference-photos.ts';
import type { PhotoFileProblem, PhotoFileResult } from '../../shared/schemas/office-setup.ts';
import type { ReferenceStatus } from '../store/reference-faces.ts';
import { retireeByIdNumber } from '../store/retirees.ts';

/** A ZIP whose photos would unpack to more than this is refused whole (a ZIP bomb, or the wrong file). */
export const MAX_ZIP_TOTAL_BYTES = 2 * 1024 * 1024 * 1024;
/** Photos are read (or unpacked) this many bytes at a time, so a large import needs little memory. */
const CHUNK_BYTES = 64 * 1024 * 1024;
/** Files the operating system leaves in folders; never photos, so never reported. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

export interface PhotoImportOptions {
  /** A folder or ZIP on disk (the CLI), or what the office console uploaded: a ZIP's bytes or photos. */
  source: { dir: string } | { zip: string } | { zipBytes: Uint8Array; label: string } | { files: { name: string; bytes: Uint8Array }[] };
  /** Only retirees of this region (an office's upload); undefined: any region (the CLI, run by the server's operator). */
  regionId?: number | null;
  /** The office account that uploaded (the CLI: nobody). */
  addedBy?: number | null;
  ip?: string | null;
  /** Each file's result as soon as it is known, for a caller that reports them itself. */
  onResult?: (result: PhotoFileResult) => void;
  dryRun: boolean;
  takenOn: string | null;
  at: number;
  /** Asked for only when a photo needs reading (a run where everything is already imported never loads the model). */
  faces: FaceReader;
  /** Refuse (before reading any photo) a source with more files than this: an upload's bound. */
  maxFiles?: number;
  /** Photos in flight at once: enough to keep every face thread busy. */
  concurrency?: number;
}

export interface PhotoImportReport {
  imported: number;
  alreadyImported: number;
  failed: number;
  ignored: number;
  /** One per file, in name order. */
  files: PhotoFileResult[];
}

interface Entry {
  /** As shown and audited: the path inside the folder or the archive, with `/`. */
  name: string;
  size: number;
}

interface Source {
  label: string;
  entries: Entry[];
  ignored: number;
  /** The bytes of these entries, or why one cannot be read. */
  load(entries: Entry[]): Map<string, Uint8Array | Error>;
}

type Outcome =
  | { kind: 'imported'; text: string; retiree: { id: number; name: string } }
  | { kind: 'already'; text: string; retiree: { id: number; name: string }; removed?: boolean }
  | { kind: 'error'; text: string; problem: PhotoFileProblem };

export const ID_PROBLEM_TEXT: Record<IdNumberProblem, string> = {
  length: 'it must have 18 characters',
  characters: 'it must be 17 digits and a digit or X',
  region: 'the first two digits are not a province code',
  birth_date: 'digits 7–14 are not a real birth date',
  checksum: 'the last character (the check digit) does not match; a digit is probably mistyped',
};

const NAME_HINT = 'name photos by the ID number, e.g. 110199194903120021.jpg, 110199194903120021_2.jpg or 110199194903120021-2019.jpg';

/** The ID number a photo's file name gives, or what is wrong with the name. */
export function idNumberOfFileName(
  fileName: string,
  today?: string,
): { ok: true; idNumber: string } | { ok: false; reason: string; problem: 'not_an_image' | 'bad_name' | 'bad_id_number' } {
  const ext = extname(fileName);
  if (!/^\.(jpe?g|png)$/i.test(ext)) {
    return { ok: false, problem: 'not_an_image', reason: `not a JPEG or PNG file (the name ${ext ? `ends ${ext}` : 'has no ending'}; photos end .jpg, .jpeg or .png)` };
  }
  const stem = fileName.slice(0, -ext.length);
  const m = /^([0-9Xx]+)(?:[-_ ].*)?$/.exec(stem);
  // Fewer than 15 characters (a camera's 20190312_101500.jpg) is not meant as an ID number.
  if (!m || m[1]!.length < 15) return { ok: false, problem: 'bad_name', reason: `the file name is not an ID number (${NAME_HINT})` };
  const id = parseIdNumber(m[1]!, today);
  if (!id.ok) return { ok: false, problem: 'bad_id_number', reason: `ID number not valid: ${m[1]}: ${ID_PROBLEM_TEXT[id.problem]}` };
  return { ok: true, idNumber: id.value.normalized };
}

const isIgnored = (segments: string[]) =>
  segments.some((s) => s.startsWith('.') || s === '__MACOSX') || SYSTEM_FILES.has(segments.at(-1)!.toLowerCase());

function folderSource(dir: string): Source {
  let stat;
  try {
    stat = statSync(dir);
  } catch (err) {
    throw new AppError(400, 'bad_request', `Cannot read ${dir}: ${(err as Error).message}`);
  }
  if (!stat.isDirectory()) throw new AppError(400, 'bad_request', `${dir} is not a folder (use --zip for an archive)`);
  const entries: Entry[] = [];
  let ignored = 0;
  const walk = (folder: string) => {
    for (const d of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, d.name);
      const name = relative(dir, path).split(sep).join('/');
      if (isIgnored(name.split('/'))) {
        ignored++;
        continue;
      }
      if (d.isDirectory()) {
        walk(path); // a linked folder is not followed: no loops
        continue;
      }
      let s;
      try {
        s = statSync(path); // a linked file is followed
      } catch {
        entries.push({ name, size: 0 }); // reported as unreadable when loaded
        continue;
      }
      if (s.isFile()) entries.push({ name, size: s.size });
    }
  };
  walk(dir);
  return {
    label: `folder ${dir}`,
    entries,
    ignored,
    load(chunk) {
      const bytes = new Map<string, Uint8Array | Error>();
      for (const e of chunk) {
        try {
          bytes.set(e.name, new Uint8Array(readFileSync(join(dir, ...e.name.split('/')))));
        } catch (err) {
          bytes.set(e.name, err as Error);
        }
      }
      return bytes;
    },
  };
}

function zipFileSource(file: string): Source {
  let data: Uint8Array;
  try {
    if (statSync(file).size > MAX_ZIP_TOTAL_BYTES) {
      throw new AppError(400, 'bad_request', `${file} is larger than 2 GB: split the photos into several archives`);
    }
    data = new Uint8Array(readFileSync(file));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, 'bad_request', `Cannot read ${file}: ${(err as Error).message}`);
  }
  return zipSource(file, data);
}

/** Photos uploaded one by one (the office console): already in memory. */
function filesSource(files: { name: string; bytes: Uint8Array }[]): Source {
  const byName = new Map<string, Uint8Array>();
  let ignored = 0;
  for (const f of files) {
    const name = f.name.replaceAll('\\', '/').split('/').at(-1)!;
    if (isIgnored([name])) ignored++;
    else byName.set(byName.has(name) ? `${name} (${byName.size + 1})` : name, f.bytes);
  }
  return {
    label: `${byName.size} uploaded files`,
    entries: [...byName].map(([name, bytes]) => ({ name, size: bytes.length })),
    ignored,
    load: (chunk) => new Map(chunk.map((e) => [e.name, byName.get(e.name)!])),
  };
}

function zipSource(file: string, data: Uint8Array): Source {
  const listed: UnzipFileInfo[] = [];
  try {
    // The filter sees each entry's declared sizes and unpacks nothing here.
    unzipSync(data, { filter: (f) => (listed.push(f), false) });
  } catch (err) {
    throw new AppError(400, 'bad_request', `${file} is not a readable ZIP archive (${(err as Error).message})`);
  }
  const entries: Entry[] = [];
  let ignored = 0;
  let total = 0;
  for (const f of listed) {
    const name = f.name.replaceAll('\\', '/');
    if (name.endsWith('/')) continue; // a folder
    if (isIgnored(name.split('/').filter(Boolean))) {
      ignored++;
      continue;
    }
    // fflate unpacks into a buffer of the declared size and never grows it, so the declared sizes
    // bound the memory an entry can take, whatever its data says.
    const size = Math.max(f.size, f.originalSize);
    entries.push({ name, size });
    if (size <= MAX_PHOTO_BYTES) total += size; // larger entries are reported as too large, never unpacked
  }
  if (total > MAX_ZIP_TOTAL_BYTES) {
    throw new AppError(400, 'bad_request', `${file} would unpack to more than 2 GB (${(total / 1024 ** 3).toFixed(1)} GB declared): refused, nothing was imported; split the photos into several archives`);
  }
  const unpack = (names: Set<string>) => unzipSync(data, { filter: (f) => names.has(f.name.replaceAll('\\', '/')) });
  const byName = new Map(listed.map((f) => [f.name.replaceAll('\\', '/'), f.name]));
  return {
    label: `archive ${file}`,
    entries,
    ignored,
    load(chunk) {
      const bytes = new Map<string, Uint8Array | Error>();
      const take = (files: Record<string, Uint8Array>) => {
        for (const [raw, b] of Object.entries(files)) bytes.set(raw.replaceAll('\\', '/'), b);
      };
      try {
        take(unpack(new Set(chunk.map((e) => e.name))));
      } catch {
        // One damaged entry spoils the batch: unpack the others one by one to find it.
        for (const e of chunk) {
          try {
            take(unpack(new Set([e.name])));
          } catch (err) {
            bytes.set(e.name, new Error(`damaged in the archive (${(err as Error).message})`));
          }
        }
      }
      for (const e of chunk) if (!bytes.has(e.name)) bytes.set(e.name, new Error(`not found in the archive (${byName.get(e.name) ?? e.name})`));
      return bytes;
    },
  };
}

function problemText(r: { problem: PhotoProblem; detail?: string }): string {
  switch (r.problem) {
    case 'not_an_image':
      return 'not a JPEG or PNG file (by its contents)';
    case 'too_large':
      return `too large: ${PHOTO_PROBLEM_TEXT.too_large}`;
    case 'unreadable':
      return `unreadable: ${PHOTO_PROBLEM_TEXT.unreadable}${r.detail ? ` (${r.detail})` : ''}`;
    default:
      return `${PHOTO_PROBLEM_TEXT[r.problem]}${r.detail ? ` (${r.detail})` : ''}`;
  }
}

function fileResult(name: string, o: Outcome): PhotoFileResult {
  if (o.kind === 'error') return { name, outcome: 'error', problem: o.problem, message: o.text };
  return { name, outcome: o.kind, retiree: o.retiree, ...(o.kind === 'already' && o.removed ? { removed: true } : {}), message: o.text };
}

export async function importPhotos(db: Db, options: PhotoImportOptions, out: (line: string) => void): Promise<PhotoImportReport> {
  const { dryRun, takenOn, at, faces } = options;
  const src = options.source;
  const source =
    'dir' in src ? folderSource(src.dir) : 'zip' in src ? zipFileSource(src.zip) : 'zipBytes' in src ? zipSource(src.label, src.zipBytes) : filesSource(src.files);
  const entries = [...source.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (options.maxFiles !== undefined && entries.length > options.maxFiles) {
    throw new AppError(400, 'bad_request', `${source.label} holds ${entries.length} files, more than ${options.maxFiles}: split the photos into several archives`, { problem: 'too_many_files' });
  }
  const today = new Date(at).toISOString().slice(0, 10);
  out(`${dryRun ? 'Checking' : 'Importing'} ${entries.length} files from ${source.label}${source.ignored ? ` (${source.ignored} hidden or system files ignored)` : ''}${dryRun ? '; dry run: nothing is written' : ''}`);

  // Results are printed in name order as soon as every earlier one is known.
  const results: (Outcome | undefined)[] = entries.map(() => undefined);
  let printed = 0;
  const settle = (i: number, outcome: Outcome) => {
    results[i] = outcome;
    options.onResult?.(fileResult(entries[i]!.name, outcome));
    while (printed < results.length && results[printed]) {
      const r = results[printed]!;
      out(`  ${entries[printed]!.name}: ${r.kind === 'error' ? `error: ${r.text}` : r.text}`);
      printed++;
    }
  };

  // The checks that need no bytes: the name, the ID number, the retiree, the size.
  const pending: { index: number; entry: Entry; retiree: { id: number; name: string } }[] = [];
  for (const [index, entry] of entries.entries()) {
    const parsed = idNumberOfFileName(entry.name.split('/').at(-1)!, today);
    if (!parsed.ok) {
      settle(index, { kind: 'error', problem: parsed.problem, text: parsed.reason });
      continue;
    }
    const retiree = await retireeByIdNumber(db, parsed.idNumber);
    // An office sees only its region: a retiree of another one is as unknown as one never enrolled.
    if (!retiree || (options.regionId != null && retiree.regionId !== options.regionId)) {
      const where = options.regionId != null ? ' in your region' : '';
      settle(index, { kind: 'error', problem: 'unknown_retiree', text: `unknown ID number: no retiree with ID number ${parsed.idNumber} is enrolled${where}` });
      continue;
    }
    if (entry.size > MAX_PHOTO_BYTES) {
      settle(index, { kind: 'error', problem: 'too_large', text: `too large: ${PHOTO_PROBLEM_TEXT.too_large} (${(entry.size / 1024 / 1024).toFixed(1)} MB)` });
      continue;
    }
    pending.push({ index, entry, retiree });
  }

  // The same bytes twice for one retiree in this run: the later file waits for the first's outcome.
  const firstOfContent = new Map<string, { name: string; outcome: Promise<Outcome> }>();
  const importOne = async ({ entry, retiree }: (typeof pending)[number], bytes: Uint8Array | Error): Promise<Outcome> => {
    if (bytes instanceof Error) return { kind: 'error', problem: 'unreadable', text: `unreadable: ${bytes.message}` };
    const key = `${retiree.id}:${createHash('sha256').update(bytes).digest('hex')}`;
    const who = { id: retiree.id, name: retiree.name };
    const first = firstOfContent.get(key);
    if (first) {
      const o = await first.outcome;
      return o.kind === 'error'
        ? { kind: 'error', problem: o.problem, text: `${o.text} (the same photo as ${first.name})` }
        : { kind: 'already', retiree: who, text: `already imported for ${retiree.name} (the same photo as ${first.name})` };
    }
    const outcome = (async (): Promise<Outcome> => {
      const photo = { retireeId: retiree.id, bytes };
      let existing: { id: number; status: ReferenceStatus } | null;
      let added: number | null = null;
      try {
        if (dryRun) {
          const r = await checkOfficePhoto(db, faces, photo);
          if (!r.ok) return { kind: 'error', problem: r.problem, text: problemText(r) };
          existing = r.existing;
        } else {
          const r = await addOfficePhoto(db, faces, { ...photo, addedBy: options.addedBy ?? null, at, takenOn, origin: `import-photos:${entry.name}`, ip: options.ip ?? null });
          if (!r.ok) return { kind: 'error', problem: r.problem, text: problemText(r) };
          existing = r.created ? null : { id: r.id, status: r.status };
          added = r.id;
        }
      } catch (err) {
        if (err instanceof AppError) throw err; // the face model is not there: nothing can be imported
        return { kind: 'error', problem: 'unreadable', text: `the photo could not be read: ${(err as Error).message}` };
      }
      if (existing) {
        const removed = existing.status === 'removed' ? '; it was removed from the references since and is not added again' : '';
        return { kind: 'already', retiree: who, removed: existing.status === 'removed', text: `already imported for ${retiree.name} (the same photo is reference ${existing.id}${removed})` };
      }
      return { kind: 'imported', retiree: who, text: dryRun ? `would be imported for ${retiree.name}` : `imported for ${retiree.name} (reference ${added})` };
    })();
    firstOfContent.set(key, { name: entry.name, outcome });
    return outcome;
  };

  // Bytes are loaded a chunk at a time; within a chunk, several photos are read at once.
  const concurrency = options.concurrency ?? 4;
  for (let start = 0; start < pending.length; ) {
    let end = start;
    for (let size = 0; end < pending.length && (end === start || size + pending[end]!.entry.size <= CHUNK_BYTES); end++) size += pending[end]!.entry.size;
    const chunk = pending.slice(start, end);
    const bytes = source.load(chunk.map((p) => p.entry));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, chunk.length) }, async () => {
        while (next < chunk.length) {
          const p = chunk[next++]!;
          settle(p.index, await importOne(p, bytes.get(p.entry.name)!));
        }
      }),
    );
    start = end;
  }

  const count = (kind: Outcome['kind']) => results.filter((r) => r?.kind === kind).length;
  const report: PhotoImportReport = {
    imported: count('imported'),
    alreadyImported: count('already'),
    failed: count('error'),
    ignored: source.ignored,
    files: results.map((r, i) => fileResult(entries[i]!.name, r!)),
  };
  const photos = (n: number) => `${n} photo${n === 1 ? '' : 's'}`;
  out(`${dryRun ? 'Would import' : 'Imported'} ${photos(report.imported)}; ${report.alreadyImported} already imported; ${report.failed} file${report.failed === 1 ? '' : 's'} with errors.${dryRun ? ' (Dry run: nothing was written.)' : ''}`);
  return report;
}
