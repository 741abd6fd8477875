// The words in the office's exported files (issue 16, decision 056): the lists' names, column
// headings and values, in the language of the console that asked for the file. The console's own
// screens use web/i18n (the same words).
import type { CertificationMethod } from '../../shared/certification-rules.ts';
import type { PensionCategory } from '../../shared/schemas/admin.ts';
import type { ExportList, ListStatus } from '../../shared/schemas/office-retirees.ts';

export type ExportLang = 'zh-CN' | 'en';

export type ColumnKey =
  | 'community'
  | 'name'
  | 'idNumber'
  | 'age'
  | 'category'
  | 'phone'
  | 'address'
  | 'status'
  | 'method'
  | 'certifiedOn'
  | 'lastCertifiedOn'
  | 'suspendsOn'
  | 'suspendedSince';

export interface ExportText {
  list: Record<ExportList, string>;
  column: Record<ColumnKey, string>;
  status: Record<ListStatus, string>;
  method: Record<CertificationMethod, string>;
  category: Record<PensionCategory, string>;
}

const zh: ExportText = {
  list: {
    not_certified: '未认证名单',
    to_be_suspended: '截止日将暂停发放名单',
    suspended: '已暂停发放名单',
    certified: '本期已认证名单',
    resumed: '逾期认证后恢复发放名单',
  },
  column: {
    community: '社区',
    name: '姓名',
    idNumber: '身份证号',
    age: '年龄',
    category: '养老金类别',
    phone: '电话',
    address: '地址',
    status: '状态',
    method: '认证方式',
    certifiedOn: '认证日期',
    lastCertifiedOn: '上次认证日期',
    suspendsOn: '将暂停发放日期',
    suspendedSince: '暂停发放日期',
  },
  status: {
    certified: '已认证',
    under_review: '审核中',
    verifying: '正在核对人脸',
    due: '待认证',
    overdue: '已逾期',
    suspended: '已暂停发放',
    not_open: '本期不适用',
  },
  method: { self: '本人', family: '家属代办', worker: '社区工作人员上门', home_visit: '上门证明', on_site: '窗口办理' },
  category: { urban_employee: '城镇职工基本养老保险', public_institution: '机关事业单位养老保险', urban_rural_resident: '城乡居民基本养老保险' },
};

const en: ExportText = {
  list: {
    not_certified: 'Not yet certified',
    to_be_suspended: 'To be suspended at the deadline',
    suspended: 'Suspended',
    certified: 'Certified this period',
    resumed: 'Resumed after a late certification',
  },
  column: {
    community: 'Community',
    name: 'Name',
    idNumber: 'ID number',
    age: 'Age',
    category: 'Pension category',
    phone: 'Phone',
    address: 'Address',
    status: 'Status',
    method: 'Method',
    certifiedOn: 'Certified on',
    lastCertifiedOn: 'Last certified',
    suspendsOn: 'Pension pauses on',
    suspendedSince: 'Pension paused since',
  },
  status: {
    certified: 'Certified',
    under_review: 'Under review',
    verifying: 'Checking the face',
    due: 'Due',
    overdue: 'Overdue',
    suspended: 'Suspended',
    not_open: 'Not open',
  },
  method: { self: 'Self', family: 'Family member', worker: 'Community worker', home_visit: 'Home visit', on_site: 'On site' },
  category: { urban_employee: 'Urban employees', public_institution: 'Public institutions', urban_rural_resident: 'Urban and rural residents' },
};

export const EXPORT_TEXT: Record<ExportLang, ExportText> = { 'zh-CN': zh, en };

/** The file's language: the one asked for, else the browser's first choice if English, else Chinese. */
export function exportLang(asked: ExportLang | undefined, acceptLanguage: string | undefined): ExportLang {
  if (asked) return asked;
  return /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'zh-CN';
}
