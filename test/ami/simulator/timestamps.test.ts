import { describe, expect, it } from 'vitest';
import { amiEventTv, amiTimestamp } from '../../../src/ami/simulator/protocol/timestamps.js';

describe("the simulator's time fields", () => {
  it('writes Timestamp and EventTV as Asterisk does', () => {
    expect(amiTimestamp(1795294861574.435)).toBe('1795294861.574435');
    expect(amiEventTv(1795294861574)).toBe('2026-11-21T21:01:01.574+0000');
  });
});
