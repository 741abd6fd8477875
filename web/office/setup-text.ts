// The year set-up's strings (web/i18n/office-setup.ts), typed by their own keys, and its errors in
// the clerk's words: the server answers codes with the field, column or row they concern.
import type { ImportField, ImportRowError, PeriodIssueDetail, PhotoFileResult } from '../../shared/schemas/office-setup.ts';
import { ApiError } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { zh } from '../i18n/office-setup.ts';

export type SetupKey = keyof typeof zh;

export const st = (key: SetupKey, vars?: Record<string, string | number>): string => t(key as MessageKey, vars);

export const columnName = (c: ImportField | null): string => (c ? st(`o.setup.import.col.${c}`) : st('o.setup.import.wholeRow'));

export function rowProblemText(e: ImportRowError): string {
  return st(`o.setup.row.${e.problem}`, { value: e.value ?? '', row: e.earlierRow ?? '' });
}

export function periodIssueText(i: Pick<PeriodIssueDetail, 'code' | 'otherYear'>): string {
  return st(`o.setup.period.${i.code}`, { year: i.otherYear ?? '' });
}

export function photoResultText(f: PhotoFileResult): string {
  if (f.outcome === 'imported') return st('o.setup.photos.imported', { name: f.retiree?.name ?? '' });
  if (f.outcome === 'already') return st(f.removed ? 'o.setup.photos.alreadyRemoved' : 'o.setup.photos.already', { name: f.retiree?.name ?? '' });
  return f.problem ? st(`o.setup.photo.${f.problem}`) : f.message;
}

const columnList = (fields: unknown) => (Array.isArray(fields) ? fields.map((f) => (typeof f === 'string' && f in COLUMN_KEYS ? columnName(f as ImportField) : String(f))).join(t('o.p.list')) : '');
const COLUMN_KEYS: Record<ImportField, true> = { idNumber: true, name: true, pensionCategory: true, community: true, address: true, phone: true, enrolledOn: true };

/** A refused upload (the whole file) in words. */
export function fileErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) return errorText(err);
  const d = err.details;
  if (err.status === 413 && typeof d.maxBytes === 'number') return st('o.setup.file.too_large', { mb: Math.round(d.maxBytes / 1024 / 1024) });
  switch (d.problem) {
    case 'too_many_rows':
      return st('o.setup.file.too_many_rows', { n: new Intl.NumberFormat().format(Number(d.maxRows ?? 50_000)) });
    case 'missing_columns':
      return [st('o.setup.file.missing_columns', { list: columnList(d.missing) }), Array.isArray(d.unknown) && d.unknown.length ? st('o.setup.file.unknown_columns', { list: columnList(d.unknown) }) : ''].filter(Boolean).join(' ');
    case 'unknown_columns':
      return st('o.setup.file.unknown_columns', { list: columnList(d.unknown) });
    case 'unclosed_quote':
      return st('o.setup.file.unclosed_quote', { row: Number(d.row ?? 0) || '?' });
    case 'empty':
    case 'unreadable':
    case 'not_a_spreadsheet':
      return st(`o.setup.file.${d.problem}`);
    case 'plan_changed':
      return st('o.setup.import.changedSince');
    case 'no_face_model':
      return st('o.setup.photos.noModel');
    default:
      return errorText(err);
  }
}
