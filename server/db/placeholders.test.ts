import { describe, expect, it } from 'vitest';
import { toPostgres } from './placeholders.ts';

describe('toPostgres', () => {
  it('numbers positional ? in order, and keeps ?N as one parameter however often it appears', () => {
    expect(toPostgres('SELECT ? + ?', [1, 2])).toEqual({ text: 'SELECT $1 + $2', values: [1, 2] });
    expect(toPostgres('SELECT ?2, ?1, ?2', ['a', 'b'])).toEqual({ text: 'SELECT $1, $2, $1', values: ['b', 'a'] });
  });

  it('leaves ? and $name inside string literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT 'what?', "odd?col", 'it''s $x' -- why? $y\n, ? /* :z ? */`;
    expect(toPostgres(sql, [7])).toEqual({ text: `SELECT 'what?', "odd?col", 'it''s $x' -- why? $y\n, $1 /* :z ? */`, values: [7] });
  });

  it('binds named parameters by name, with or without the sigil, and NULL for a name not given (as node-sqlite3 does)', () => {
    expect(toPostgres('SELECT $a, :b, $a, @c', { $a: 1, b: 2 })).toEqual({ text: 'SELECT $1, $2, $1, $3', values: [1, 2, null] });
  });

  it('does not take a PostgreSQL cast for a named parameter', () => {
    expect(toPostgres('SELECT ?::bigint', ['5']).text).toBe('SELECT $1::bigint');
  });

  it('gives a NULL test its own text parameter, so the value keeps the type of its other uses', () => {
    expect(toPostgres('SELECT 1 WHERE (?1 IS NULL OR region_id = ?1) AND ?2 is not null', [5, null])).toEqual({
      text: 'SELECT 1 WHERE (CAST($1 AS TEXT) IS NULL OR region_id = $2) AND CAST($3 AS TEXT) is not null',
      values: ['?', 5, null],
    });
    expect(toPostgres('SELECT ? IS NULL', [null]).values).toEqual([null]);
  });

  it('refuses a statement that wants more parameters than it was given', () => {
    expect(() => toPostgres('SELECT ?, ?', [1])).toThrow(/parameter 2 of 1/);
  });
});
