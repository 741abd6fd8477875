// The order in which a sentence is tried, piece by piece, when it is spoken with the bundled clips:
// each piece's clip first, then the device's own voice for that piece's words when the device has
// a voice for the language; a piece that nothing can say is skipped, so the rest is still said.
// Before issue 17 one clip the browser refused silenced the whole sentence (the digits).

export interface Piece {
  /** Clip id, e.g. `digit.3`; `null` for words no clip holds (a name), said only by a device voice. */
  clip: string | null;
  /** The words of that clip, for the device voice. */
  text: string;
}

export type Attempt = { kind: 'clip'; clip: string } | { kind: 'synth'; text: string };

export function attemptsFor(piece: Piece, deviceVoice: boolean): Attempt[] {
  const attempts: Attempt[] = piece.clip ? [{ kind: 'clip', clip: piece.clip }] : [];
  if (deviceVoice && piece.text.trim()) attempts.push({ kind: 'synth', text: piece.text });
  return attempts;
}

/**
 * Says `pieces` in order; `run` plays one attempt and answers whether it was heard (false when it
 * failed). Stops as soon as `current()` is false: a newer sentence has started.
 */
export async function playPieces(pieces: readonly Piece[], deviceVoice: boolean, run: (attempt: Attempt) => Promise<boolean>, current: () => boolean): Promise<void> {
  for (const piece of pieces) {
    for (const attempt of attemptsFor(piece, deviceVoice)) {
      if (!current()) return;
      if (await run(attempt)) break;
    }
  }
}
