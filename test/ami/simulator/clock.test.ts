import { describe, expect, it } from 'vitest';
import { amiEventTv, amiTimestamp, scaledClock } from '../../../src/ami/simulator/clock.js';

describe('the simulator clock', () => {
  it('reports time running `speed` times faster than the wall clock', () => {
    let real = 1_000_000;
    const clock = scaledClock(50, () => real);
    real += 100;
    expect(clock.now()).toBe(1_000_000 + 5_000);
  });

  it('fires a simulated 1 s wait after 20 real ms at speed 50', async () => {
    const clock = scaledClock(50);
    const started = performance.now();
    await new Promise<void>((resolve) => clock.after(1_000, resolve));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(15);
    expect(elapsed).toBeLessThan(500);
  });

  it('can cancel a wait', async () => {
    const clock = scaledClock(100);
    let fired = false;
    const cancel = clock.after(100, () => (fired = true));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => scaledClock(0)).toThrow(RangeError);
  });

  it('writes Timestamp and EventTV as Asterisk does', () => {
    expect(amiTimestamp(1795294861574.435)).toBe('1795294861.574435');
    expect(amiEventTv(1795294861574)).toBe('2026-11-21T21:01:01.574+0000');
  });
});
