// `npm run face -- compare A.jpg B.png [--json]`
//
// Compares the largest face of two photos with the server's own engine and rules (face-model.ts,
// match-rules.ts): prints the distance, the thresholds and the decision in plain words.
// Exit 0 match, 1 uncertain or mismatch, 2 usage error, missing/unreadable file or no face.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sniffFormat, UnreadableImageError } from '../server/face/decode.ts';
import { loadFaceModel, type FaceReading } from '../server/face/face-model.ts';
import { decideMatch, FACE_THRESHOLDS } from '../server/face/match-rules.ts';

export const USAGE = `usage: npm run face -- compare A.(jpg|png) B.(jpg|png) [--json]

  compare A B   distance between the largest face in A and the largest face in B, and whether
                the server would call them the same person (photos: the accurate SSD detector)
  --json        print one JSON object (distance, decision, faces, thresholds, …) on stdout
  -h, --help    this text

exit status: 0 match, 1 uncertain or mismatch, 2 usage error, unreadable file or no face`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  a: string;
  b: string;
  json: boolean;
}

export function parseArgs(argv: string[]): CliOptions {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  if (rest[0] !== 'compare') throw new UsageError(rest[0] ? `unknown command ${rest[0]}` : 'missing command');
  if (rest.length !== 3) throw new UsageError(`compare takes exactly two image files (got ${rest.length - 1})`);
  return { a: rest[1]!, b: rest[2]!, json };
}

const EXPLAIN = {
  match: 'the same person',
  uncertain: 'not sure: a person should look at both',
  mismatch: 'different people',
} as const;

/** Thrown for an input we cannot compare: the file, and why. */
class InputError extends Error {}

function read(path: string): Uint8Array {
  try {
    if (!statSync(path).isFile()) throw new InputError(`${path}: not a file`);
    return readFileSync(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const bytes = [read(opts.a), read(opts.b)] as const;
    // Say so before the model's 2-second load when a file is plainly not an image.
    for (const [i, path] of [opts.a, opts.b].entries()) {
      if (!sniffFormat(bytes[i]!)) throw new InputError(`${path}: not a JPEG or PNG image`);
    }
    const model = await loadFaceModel();
    const readings: FaceReading[] = [];
    for (const [i, path] of [opts.a, opts.b].entries()) {
      try {
        readings.push(await model.describe(bytes[i]!, 'photo'));
      } catch (err) {
        if (err instanceof UnreadableImageError) throw new InputError(`${path}: ${err.message}`);
        throw err;
      }
      if (!readings[i]!.descriptor) throw new InputError(`${path}: no face found in the image`);
    }
    const [ra, rb] = readings as [FaceReading, FaceReading];
    const verdict = decideMatch([ra.descriptor], [rb.descriptor!]);
    const decision = verdict.decision as keyof typeof EXPLAIN;
    const t = FACE_THRESHOLDS;
    if (opts.json) {
      const out = {
        a: opts.a,
        b: opts.b,
        distance: round(verdict.distance!),
        decision,
        faces: [ra.faces, rb.faces],
        scores: [round(ra.score!), round(rb.score!)],
        thresholds: { ...t },
        strong: verdict.strong,
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      const many = (r: FaceReading, p: string) => (r.faces > 1 ? `\n  note: ${p} has ${r.faces} faces; the largest was used` : '');
      process.stdout.write(
        `distance ${verdict.distance!.toFixed(3)}: ${decision} (${EXPLAIN[decision]})\n` +
          `  thresholds: match ≤ ${t.match}, mismatch ≥ ${t.mismatch}, uncertain between${many(ra, opts.a)}${many(rb, opts.b)}\n`,
      );
    }
    return decision === 'match' ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${err instanceof InputError ? err.message : `error: ${(err as Error).message}`}\n`);
    return 2;
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
