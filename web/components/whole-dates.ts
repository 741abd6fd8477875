// What web/components/Dated.tsx keeps whole: the pieces of a sentence around its dates, and the
// dates a status's words can name.
import type { CertificationState } from '../../shared/certification-rules.ts';
import { formatDate } from '../i18n/index.ts';

export interface Piece {
  text: string;
  whole: boolean;
}

/** `text` cut around each occurrence of the `wholes` (the longest first where two start alike). */
export function wholePieces(text: string, wholes: readonly (string | null | undefined)[]): Piece[] {
  const keep = [...new Set(wholes.filter((w): w is string => !!w))].sort((a, b) => b.length - a.length);
  const pieces: Piece[] = [];
  let plain = '';
  for (let i = 0; i < text.length; ) {
    const w = keep.find((k) => text.startsWith(k, i));
    if (w) {
      if (plain) pieces.push({ text: plain, whole: false });
      pieces.push({ text: w, whole: true });
      plain = '';
      i += w.length;
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
