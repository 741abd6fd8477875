// The review queue's keyboard shortcuts. Nothing fires while a field has the keyboard (typing a
// rejection reason must not approve) or with a modifier held (the browser's own shortcuts).
export type Shortcut = 'approve' | 'reject' | 'next' | 'previous';

const KEYS: Record<string, Shortcut> = { a: 'approve', r: 'reject', j: 'next', n: 'next', k: 'previous' };

export function shortcutOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, target: EventTarget | null): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  const tag = el?.tagName?.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || el?.isContentEditable) return null;
  return KEYS[e.key.toLowerCase()] ?? null;
}
