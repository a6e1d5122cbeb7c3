import { describe, expect, it } from 'vitest';
import { MemberIds } from '../../../src/outbound/members/memberIds.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('member ids', () => {
  it('are UUIDv7 with the intake time in their first 48 bits', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const id = new MemberIds(now).forRow(1);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('rise with the row, and give the row back', () => {
    const ids = new MemberIds();
    const rows = [1, 2, 255, 256, 1_000_000, 0xffffffff];
    const made = rows.map((row) => ids.forRow(row));
    expect([...made].sort()).toEqual(made);
    expect(made.map((id) => ids.rowOf(id))).toEqual(rows);
    expect(() => ids.forRow(0x100000000)).toThrow(RangeError);
  });

  it('differ between intakes of the same millisecond, and do not claim each other\'s rows', () => {
    const now = Date.now();
    const first = new MemberIds(now);
    const second = new MemberIds(now);
    expect(first.prefix).not.toBe(second.prefix);
    expect(first.rowOf(second.forRow(5))).toBeNull();
  });
});
