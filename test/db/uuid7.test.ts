import { describe, expect, it } from 'vitest';
import { uuid7 } from '../../src/db/uuid7.js';

describe('uuid7', () => {
  it('makes version 7, variant 1 UUIDs that sort by the millisecond they were made in', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) => uuid7(ms));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].reverse().sort()).toEqual(ids);
    expect(ids[0]?.slice(0, 13)).toBe('018bcfe5-6800');
  });
});
