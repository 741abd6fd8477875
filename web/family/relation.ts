// A relation as people say it: the code of a request in the reader's language; a link made before
// issue 19 (the office's command line) carries free text, shown as it is.
import { RELATIONS, type Relation } from '../../shared/schemas/family.ts';
import { t } from '../i18n/index.ts';

export function relationText(relation: string): string {
  return (RELATIONS as readonly string[]).includes(relation) ? t(`fam.rel.${relation as Relation}`) : relation;
}
