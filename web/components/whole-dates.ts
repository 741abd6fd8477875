// What web/components/Dated.tsx keeps whole: the pieces of a sentence around its dates, and the
// dates a status's words can name.
import type { CertificationState } from '../../shared/certification-rules.ts';
import { formatDate } from '../i18n/index.ts';

export interface Piece {
  text: string;
  whole: boolean;
  /** Punctuation right after a whole piece, which must not begin the next line. */
  tail?: string;
}

/** Punctuation that closes what comes before it: kept with the date (a lone "。" began a line). */
const CLOSING = /^[。，、；：！？）」』”’,.;:!?)\]]+/;

/** `text` cut around each occurrence of the `wholes` (the longest first where two start alike), with the punctuation that follows it. */
export function wholePieces(text: string, wholes: readonly (string | null | undefined)[]): Piece[] {
  const keep = [...new Set(wholes.filter((w): w is string => !!w))].sort((a, b) => b.length - a.length);
  const pieces: Piece[] = [];
  let plain = '';
  for (let i = 0; i < text.length; ) {
    const w = keep.find((k) => text.startsWith(k, i));
    if (w) {
      const tail = CLOSING.exec(text.slice(i + w.length))?.[0] ?? '';
      if (plain) pieces.push({ text: plain, whole: false });
      pieces.push(tail ? { text: w, whole: true, tail } : { text: w, whole: true });
      plain = '';
      i += w.length + tail.length;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain) pieces.push({ text: plain, whole: false });
  return pieces;
}

/** The dates a status's words can name (statusText, the roster's badge), as formatDate writes them. */
export function statusDates(s: CertificationState): string[] {
  const days = [
    'opensOn' in s ? s.opensOn : null,
    'dueOn' in s ? s.dueOn : null,
    'submittedOn' in s ? s.submittedOn : null,
    'certifiedOn' in s ? s.certifiedOn : null,
    'validUntil' in s ? s.validUntil : null,
    'suspendsOn' in s ? s.suspendsOn : null,
    'since' in s ? s.since : null,
  ];
  return days.filter((d): d is string => !!d).map(formatDate);
}
