// A relation as people say it: the code of a request in the reader's language; a link made before
// issue 19 (the office's command line) carries free text, shown as it is.
import { RELATIONS, type Relation } from '../../shared/schemas/family.ts';
import { t } from '../i18n/index.ts';
import type { SpeechValue } from '../voice/speakable.ts';

export function relationText(relation: string): string {
  return (RELATIONS as readonly string[]).includes(relation) ? t(`fam.rel.${relation as Relation}`) : relation;
}

/** A relation as a value 读给我听 reads: the catalog word, or the free text as it is (decision 093). */
export function relationValue(relation: string): SpeechValue {
  return (RELATIONS as readonly string[]).includes(relation) ? { key: `fam.rel.${relation}` } : { text: relation };
}
