import * as v from 'valibot';
import { isValidDate, isValidTimeZone } from '../dates.ts';
import { periodProblems } from '../certification-rules.ts';
import { idNumber, newPassword, username } from './auth.ts';

export const ROLES = ['retiree', 'family', 'worker', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const PENSION_CATEGORIES = ['urban_employee', 'public_institution', 'urban_rural_resident'] as const;
export type PensionCategory = (typeof PENSION_CATEGORIES)[number];
export const ENROLMENT_STATES = ['active', 'suspended', 'deceased', 'moved', 'stopped'] as const;

export const localDate = v.pipe(v.string('Date must be text'), v.trim(), v.check(isValidDate, 'Date must be a real date as YYYY-MM-DD'));
const name = v.pipe(v.string(), v.trim(), v.minLength(1, 'Name is required'), v.maxLength(100, 'Name is too long'));
const phone = v.pipe(v.string(), v.trim(), v.regex(/^[0-9+\- ]{3,20}$/, 'Phone: digits, spaces, + or -'));

export const NewRegion = v.strictObject({
  code: v.pipe(v.string(), v.trim(), v.regex(/^\d{6}$/, 'Region code must be 6 digits')),
  name,
  timeZone: v.optional(v.pipe(v.string(), v.check(isValidTimeZone, 'Unknown time zone')), 'Asia/Shanghai'),
  officePhone: v.optional(phone),
});

export const NewCommunity = v.strictObject({ regionCode: NewRegion.entries.code, name, officePhone: v.optional(phone) });

/** The dates of one yearly period, as the office enters them. */
export const PeriodDates = v.strictObject({
  selfStart: localDate,
  selfEnd: localDate,
  onsiteStart: localDate,
  onsiteEnd: localDate,
  deadline: localDate,
  suspensionDate: localDate,
});

export const NewPeriod = v.pipe(
  v.strictObject({
    regionCode: NewRegion.entries.code,
    year: v.pipe(v.number('Year must be a number'), v.integer(), v.minValue(2000), v.maxValue(2100)),
    ...PeriodDates.entries,
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const problem of periodProblems(dataset.value)) addIssue({ message: problem });
  }),
);

export const NewStaffUser = v.strictObject({
  role: v.picklist(['family', 'worker', 'admin'] as const, 'Role must be family, worker or admin'),
  username,
  password: newPassword,
  displayName: name,
  phone: v.optional(phone),
  /** Admins: the office's region. */
  regionCode: v.optional(NewRegion.entries.code),
});

export const RetireeRow = v.strictObject({
  idNumber,
  name,
  pensionCategory: v.picklist(PENSION_CATEGORIES, `Pension category must be one of ${PENSION_CATEGORIES.join(', ')}`),
  community: name,
  address: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)), ''),
  phone: v.optional(phone),
  enrolledOn: localDate,
});

export type NewRegion = v.InferOutput<typeof NewRegion>;
export type NewCommunity = v.InferOutput<typeof NewCommunity>;
export type NewPeriod = v.InferOutput<typeof NewPeriod>;
export type NewStaffUser = v.InferOutput<typeof NewStaffUser>;
export type RetireeRow = v.InferOutput<typeof RetireeRow>;
