// The Retirees list and Lists screens' strings (web/i18n/office-lists.ts), typed by their own keys,
// and the list's words for a state, a method, an age band and a pension category.
import type { CertificationMethod } from '../../shared/certification-rules.ts';
import type { PensionCategory } from '../../shared/schemas/admin.ts';
import type { AgeBand, ExportList, StatusFilter } from '../../shared/schemas/office-retirees.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { zh } from '../i18n/office-lists.ts';

export type ListsKey = keyof typeof zh;

export const lt = (key: ListsKey, vars?: Record<string, string | number>): string => t(key as MessageKey, vars);

export const statusText = (s: StatusFilter): string => lt(`o.rl.status.${s}`);
export const methodText = (m: CertificationMethod): string => t(`o.method.${m}`);
export const ageText = (a: AgeBand): string => lt(`o.rl.age.${a}`);
export const categoryText = (c: PensionCategory): string => lt(`o.rl.category.${c}`);
export const listText = (l: ExportList): string => lt(`o.lists.${l}`);
export const listWhat = (l: ExportList): string => lt(`o.lists.${l}.what`);
