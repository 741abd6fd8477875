// SQLite's parameter styles (`?`, `?NNN`, `$name` / `:name` / `@name` with an object) as
// PostgreSQL's `$n`, so store SQL is written once. A scanner, not a regular expression: a `?` or
// `$x` inside a string literal, a quoted identifier or a comment is text, not a parameter.
//
// One rewrite beyond the numbering: PostgreSQL cannot type a parameter it first meets in
// `? IS NULL` (the optional-filter idiom `(?1 IS NULL OR x = ?1)`), so such a test reads a
// parameter of its own, `CAST($k AS TEXT) IS NULL`, bound to the value as text or NULL: the same
// answer, and the other uses of the value keep the type their context gives them.
import type { Params, SqlValue } from './db.ts';

export interface Translated {
  text: string;
  values: SqlValue[];
}

type Key = number | string;
/** For each `$n`: the position (0-based) or the name (with its sigil) it reads, or a NULL test of one. */
type Slot = Key | { nullTestOf: Key };

const cache = new Map<string, { text: string; order: Slot[] }>();

// Sticky (`y`): matched at an index, without copying the rest of a long statement for each parameter.
const NULL_TEST = /\s+IS\s+(NOT\s+)?NULL\b/iy;
const DIGITS = /\d+/y;
const NAME = /[A-Za-z_]\w*/y;
const at = (re: RegExp, sql: string, index: number) => {
  re.lastIndex = index;
  return re.exec(sql)?.[0];
};

function scan(sql: string): { text: string; order: Slot[] } {
  let out = '';
  const order: Slot[] = [];
  const named = new Map<string, number>();
  let next = 0;
  const slot = (key: Key, after: number) => {
    if (at(NULL_TEST, sql, after) !== undefined) {
      order.push({ nullTestOf: key });
      return `CAST($${order.length} AS TEXT)`;
    }
    if (typeof key === 'string') {
      let n = named.get(key);
      if (n === undefined) {
        order.push(key);
        n = order.length;
        named.set(key, n);
      }
      return `$${n}`;
    }
    // Positional and numbered `?` keep their number: `?2` twice is one parameter.
    const existing = order.findIndex((o) => o === key);
    if (existing >= 0) return `$${existing + 1}`;
    order.push(key);
    return `$${order.length}`;
  };
  for (let i = 0; i < sql.length; ) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = closing(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      const digits = at(DIGITS, sql, i + 1);
      if (digits) {
        i += 1 + digits.length;
        out += slot(Number(digits) - 1, i);
      } else {
        i += 1;
        out += slot(next++, i);
      }
    } else if ((ch === '$' || ch === ':' || ch === '@') && /[A-Za-z_]/.test(sql[i + 1] ?? '') && !(ch === ':' && sql[i - 1] === ':')) {
      const name = at(NAME, sql, i + 1)!;
      i += 1 + name.length;
      out += slot(ch + name, i);
    } else {
      out += ch;
      i += 1;
    }
  }
  return { text: out, order };
}

/** The index just past the literal or quoted identifier opened at `start` ('' and "" are escapes). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const j = sql.indexOf(quote, i);
    if (j < 0) return sql.length;
    if (sql[j + 1] === quote) i = j + 2;
    else return j + 1;
  }
}

export function toPostgres(sql: string, params: Params = []): Translated {
  let scanned = cache.get(sql);
  if (!scanned) {
    scanned = scan(sql);
    if (cache.size > 2000) cache.clear();
    cache.set(sql, scanned);
  }
  const value = (key: Key): SqlValue => {
    if (typeof key === 'number') {
      if (!Array.isArray(params)) throw new Error(`SQL has a positional parameter but was given named ones: ${sql.slice(0, 80)}`);
      if (key >= params.length) throw new Error(`SQL wants parameter ${key + 1} of ${params.length}: ${sql.slice(0, 80)}`);
      return (params as readonly SqlValue[])[key]!;
    }
    const named = params as Readonly<Record<string, SqlValue>>;
    // node-sqlite3 takes the names with their sigil (accept them without too), and binds NULL to a
    // name it was not given: so does this.
    return (key in named ? named[key] : named[key.slice(1)]) ?? null;
  };
  const values = scanned.order.map((slot) => {
    if (typeof slot === 'object') {
      const v = value(slot.nullTestOf);
      return v === null ? null : typeof v === 'string' ? v : '?';
    }
    return value(slot);
  });
  return { text: scanned.text, values };
}
