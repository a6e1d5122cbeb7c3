import { describe, expect, it } from 'vitest';
import { manualClock, scaledClock } from '../src/clock.js';

describe('the clocks: scaled for the simulator, moved by hand for tests', () => {
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

  describe('moved by hand', () => {
    it('runs the waits due as it moves, in time order and, at one time, in the order asked, each at its own moment', () => {
      const clock = manualClock(1_000);
      const ran: string[] = [];
      clock.after(300, () => ran.push(`b@${clock.now()}`));
      clock.after(100, () => ran.push(`a@${clock.now()}`));
      clock.after(300, () => ran.push(`c@${clock.now()}`));
      clock.advance(299);
      expect(ran).toEqual(['a@1100']);
      expect(clock.now()).toBe(1_299);
      expect(clock.untilNext()).toBe(1);
      clock.advance(1);
      expect(ran).toEqual(['a@1100', 'b@1300', 'c@1300']);
      expect(clock.untilNext()).toBeUndefined();
    });

    it('runs, in the same move, the waits that waits ask for when they fall due within it, and none past it', () => {
      const clock = manualClock(0);
      const ran: number[] = [];
      clock.after(10, () => {
        ran.push(clock.now());
        clock.after(0, () => ran.push(clock.now()));
        clock.after(50, () => ran.push(clock.now()));
      });
      clock.advance(30);
      expect(ran).toEqual([10, 10]);
      clock.advance(30);
      expect(ran).toEqual([10, 10, 60]);
    });

    it('forgets a cancelled wait, and never moves back', () => {
      const clock = manualClock(0);
      let fired = false;
      const cancel = clock.after(5, () => (fired = true));
      cancel();
      clock.advance(10);
      expect(fired).toBe(false);
      expect(() => clock.advance(-1)).toThrow(RangeError);
    });
  });
});
