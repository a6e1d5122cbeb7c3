import { describe, expect, it } from 'vitest';
import { EventLoopTurns } from '../src/eventLoopTurns.js';

describe('EventLoopTurns', () => {
  it('lets the event loop run once its slice is spent, and not before', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    await new EventLoopTurns(60_000).take();
    expect(turned).toBe(false);
    await new EventLoopTurns(0).take();
    expect(turned).toBe(true);
  });
});
