import { describe, expect, it } from 'vitest';
import { Table } from '../../src/live/table.js';

describe('Table', () => {
  it('returns a new table on set and delete and leaves the old one as it was', () => {
    const empty = Table.empty<number>();
    const one = empty.set('a', 1);
    const two = one.set('b', 2);
    const changed = two.set('a', 10);
    const less = changed.delete('b');
    expect([empty.size, one.size, two.size, changed.size, less.size]).toEqual([0, 1, 2, 2, 1]);
    expect([one.get('a'), two.get('a'), changed.get('a'), less.get('a')]).toEqual([1, 1, 10, 10]);
    expect([two.has('b'), less.has('b')]).toEqual([true, false]);
  });

  it('returns the same table when setting the value already there or deleting a missing key', () => {
    const value = { n: 1 };
    const table = Table.empty<{ n: number }>().set('a', value);
    expect(table.set('a', value)).toBe(table);
    expect(table.delete('missing')).toBe(table);
  });

  it('holds thousands of keys, splitting buckets, and lists each once', () => {
    let table = Table.empty<number>();
    for (let i = 0; i < 5000; i++) table = table.set(`1795294827.${i}`, i);
    expect(table.size).toBe(5000);
    expect(table.get('1795294827.4321')).toBe(4321);
    expect(new Set(table.keys()).size).toBe(5000);
    expect([...table.values()].reduce((sum, n) => sum + n, 0)).toBe((4999 * 5000) / 2);
    for (let i = 0; i < 5000; i += 2) table = table.delete(`1795294827.${i}`);
    expect(table.size).toBe(2500);
    expect([table.has('1795294827.4320'), table.has('1795294827.4321')]).toEqual([false, true]);
  });

  it('builds from entries and iterates them as key and value pairs', () => {
    const table = Table.from([
      ['x', 1],
      ['y', 2],
    ]);
    expect(new Map(table)).toEqual(
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
    );
  });
});
