import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcuts.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
const on = (tagName: string, isContentEditable = false) => ({ tagName, isContentEditable }) as unknown as EventTarget;

describe('review queue shortcuts', () => {
  it('A approves, R rejects, J or N goes to the next item, K to the previous, in either case', () => {
    expect(['a', 'R', 'j', 'N', 'k', 'x'].map((k) => shortcutOf(key(k), on('BODY')))).toEqual(['approve', 'reject', 'next', 'next', 'previous', null]);
  });

  it('does nothing while a field has the keyboard or with a modifier held', () => {
    for (const tag of ['TEXTAREA', 'INPUT', 'SELECT']) expect(shortcutOf(key('a'), on(tag)), tag).toBeNull();
    expect(shortcutOf(key('a'), on('DIV', true))).toBeNull();
    expect(shortcutOf(key('r', { ctrlKey: true }), on('BODY'))).toBeNull();
    expect(shortcutOf(key('a', { metaKey: true }), on('BUTTON'))).toBeNull();
    expect(shortcutOf(key('a'), on('BUTTON'))).toBe('approve');
  });
});
