// The office's year set-up (issue 16, docs/decisions/058): periods, the retiree import, reference
// photos and activation letters. Errors are codes with the field or column they concern, so the
// console says them in the clerk's language; the English `message` is for the CLI and logs.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import type { CertificationPeriod, PeriodField, PeriodIssueCode } from '../certification-rules.ts';
import type { LocalDate } from '../dates.ts';
import { idNumber } from './auth.ts';
import { PeriodDates } from './admin.ts';

/** PUT /api/regions/:code/periods/:year. `confirmPast`: the clerk confirmed changing a period whose deadline has passed. */
export const PeriodChange = v.strictObject({ ...PeriodDates.entries, confirmPast: v.optional(v.boolean()) });
export type PeriodChange = v.InferOutput<typeof PeriodChange>;

/** A period refused: `validation_failed` with these issues, or `conflict` with one (`overlaps`, `deadline_passed`). */
export interface PeriodIssueDetail {
  path: PeriodField;
  code: PeriodIssueCode | 'invalid_date' | 'overlaps' | 'deadline_passed';
  message: string;
  /** `overlaps`: the year it overlaps. */
  otherYear?: number;
}

/** GET /api/regions/:code/periods */
export interface RegionPeriods {
  region: { id: number; code: string; name: string };
  /** Today in the region's time zone: which periods are past, current or next. */
  today: LocalDate;
  periods: CertificationPeriod[];
}

export interface SetupCommunity {
  id: number;
  name: string;
  officePhone: string | null;
  retirees: number;
  /** On the rolls and never chose a PIN. */
  notActivated: number;
}

/** GET /api/office/setup/regions: what the office covers (an office without a region: every region). */
export interface SetupRegions {
  regions: { code: string; name: string; officePhone: string | null; communities: SetupCommunity[] }[];
}

// ---- Retiree import ---------------------------------------------------------------------------

export const IMPORT_FIELDS = ['idNumber', 'name', 'pensionCategory', 'community', 'address', 'phone', 'enrolledOn'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const ROW_PROBLEMS = [
  'id_length', 'id_characters', 'id_region', 'id_birth_date', 'id_checksum', 'id_as_number',
  'required', 'too_long', 'bad_category', 'unknown_community', 'bad_phone', 'bad_date',
  'duplicate_in_file', 'other_region', 'field_count',
] as const;
export type RowProblem = (typeof ROW_PROBLEMS)[number];

/** One thing wrong with one row: its row number as a spreadsheet shows it (the header is row 1). */
export interface ImportRowError {
  row: number;
  column: ImportField | null;
  problem: RowProblem;
  /** What the cell held (clipped), or for `duplicate_in_file` the earlier row's number. */
  value?: string;
  earlierRow?: number;
  message: string;
}

export const FILE_PROBLEMS = ['empty', 'unreadable', 'unclosed_quote', 'unknown_columns', 'missing_columns', 'too_many_rows', 'not_a_spreadsheet'] as const;
export type FileProblem = (typeof FILE_PROBLEMS)[number];

export interface ImportChange {
  row: number;
  idNumber: string;
  name: string;
  action: 'add' | 'update';
  /** `update`: the fields that change. */
  fields: ImportField[];
}

export interface ImportCounts {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: number;
}

/** POST /api/office/setup/retirees/preview */
export interface ImportPreview {
  region: { code: string; name: string };
  format: 'csv' | 'xlsx';
  /** SHA-256 of the file's bytes. */
  fileSha256: string;
  /** What applying would change; the apply must name it (decision 058). */
  planHash: string;
  counts: ImportCounts;
  /** The first changes and errors (the counts say how many there are). */
  changes: ImportChange[];
  errors: ImportRowError[];
}

/** POST /api/office/setup/retirees/apply */
export interface ImportApplied {
  counts: ImportCounts;
  fileSha256: string;
}

export const ImportQuery = v.strictObject({
  region: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/, 'Region code must be 6 digits'))),
});
export const ApplyQuery = v.strictObject({
  ...ImportQuery.entries,
  plan: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'plan: the planHash of the preview')),
});

// ---- Reference photos -------------------------------------------------------------------------

export type PhotoOutcome = 'imported' | 'already' | 'error';
export type PhotoFileProblem =
  | 'bad_name' | 'bad_id_number' | 'unknown_retiree' | 'too_large' | 'not_an_image' | 'unreadable' | 'no_face' | 'several_faces' | 'duplicate_in_upload';

export interface PhotoFileResult {
  name: string;
  outcome: PhotoOutcome;
  problem?: PhotoFileProblem;
  /** `imported`/`already`: whose reference it is. */
  retiree?: { id: number; name: string };
  /** `already`: the reference was removed since and is not added again. */
  removed?: boolean;
  message: string;
}

/** POST /api/office/setup/photos */
export interface PhotoUploadResult {
  files: PhotoFileResult[];
  imported: number;
  already: number;
  failed: number;
}

// ---- Activation letters -----------------------------------------------------------------------

export const LetterSelection = v.strictObject({
  region: ImportQuery.entries.region,
  /** Everyone of a community, or only those who never chose a PIN; or one retiree by ID number. */
  communityId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  scope: v.optional(v.picklist(['not_activated', 'all'] as const), 'not_activated'),
  idNumber: v.optional(idNumber),
});
export type LetterSelection = v.InferOutput<typeof LetterSelection>;

/** POST /api/office/setup/activation-codes: the selection, and the clerk's yes when letters replace PINs or codes. */
export const IssueLetters = v.strictObject({
  ...LetterSelection.entries,
  /** Some of them hold a PIN or an unused code that the new letter replaces: the clerk said yes. */
  confirmReplace: v.optional(v.boolean()),
});

/** POST /api/office/setup/activation-codes/count: who a selection names, before anything is issued. */
export interface LetterCount {
  count: number;
  /** Already chose a PIN: the new code resets it once used. */
  activated: number;
  /** Hold an unused code that stops working when a new one is issued. */
  withOpenCode: number;
}

export interface Letter {
  retireeId: number;
  name: string;
  maskedIdNumber: string;
  community: string;
  /** The community's phone, or the region office's. */
  phone: string | null;
  code: string;
  /**
   * What the letter's QR code holds: the ID number and the code (shared/activation-qr.ts); null for
   * an ID number that is not valid (it cannot sign in either), whose letter then has no QR code.
   */
  qr: string | null;
  expiresAt: number;
  reactivation: boolean;
}

/** POST /api/office/setup/activation-codes: the only place the codes exist in plain text. */
export interface IssuedLetters {
  region: { code: string; name: string };
  issuedAt: number;
  letters: Letter[];
}

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086), and the region's periods (/api/regions).
// The uploads' bodies are the file's bytes (or a form of photos); their query names the region.

export const SETUP = {
  regions: endpoint({ method: 'GET', path: '/api/office/setup/regions', answer: answer<SetupRegions>() }),
  /** Body: the spreadsheet's bytes; query: ImportQuery. */
  previewImport: endpoint({ method: 'POST', path: '/api/office/setup/retirees/preview', answer: answer<ImportPreview>() }),
  /** Body: the same bytes; query: ApplyQuery (the preview's planHash). */
  applyImport: endpoint({ method: 'POST', path: '/api/office/setup/retirees/apply', answer: answer<ImportApplied>() }),
  /** Body: a form of photos named by ID number; query: ImportQuery. */
  photos: endpoint({ method: 'POST', path: '/api/office/setup/photos', answer: answer<PhotoUploadResult>() }),
  letterCount: endpoint({ method: 'POST', path: '/api/office/setup/activation-codes/count', body: LetterSelection, answer: answer<LetterCount>() }),
  issueLetters: endpoint({ method: 'POST', path: '/api/office/setup/activation-codes', body: IssueLetters, answer: answer<IssuedLetters>() }),
  periods: endpoint({ method: 'GET', path: '/api/regions/:code/periods', answer: answer<RegionPeriods>() }),
  setPeriod: endpoint({ method: 'PUT', path: '/api/regions/:code/periods/:year', body: PeriodChange, answer: answer<CertificationPeriod>() }),
};
