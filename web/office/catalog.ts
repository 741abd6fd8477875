// The office console's strings join the app's catalog when its code loads (it is loaded only for
// office accounts, docs/decisions/045). OfficeApp.tsx imports this module first.
import { addCatalog } from '../i18n/index.ts';
import { en, zh } from '../i18n/office.ts';
import * as lists from '../i18n/office-lists.ts';
import * as people from '../i18n/office-people.ts';
import * as retiree from '../i18n/office-retiree.ts';
import * as setup from '../i18n/office-setup.ts';

addCatalog({ 'zh-CN': zh, en });
addCatalog({ 'zh-CN': retiree.zh, en: retiree.en });
addCatalog({ 'zh-CN': people.zh, en: people.en });
addCatalog({ 'zh-CN': setup.zh, en: setup.en });
addCatalog({ 'zh-CN': lists.zh, en: lists.en });
