import { describe, expect, it } from 'vitest';
import type { TrunkRoute } from '../../src/dialer/routes.js';
import { closeUnreachable, reachOf, unreachableHold } from '../../src/dialer/trunkReach.js';

const route = (name: string, endpoint: string | null, enabled = true): TrunkRoute => ({
  trunkId: name,
  name,
  techName: 'PJSIP',
  endpoint,
  dialStringTemplate: endpoint === null ? 'Local/{number}@outbound' : null,
  maxChannels: null,
  callerId: null,
  originatesPerSecond: null,
  enabled,
  pattern: null,
});

describe("a trunk's reach", () => {
  const states = new Map([
    ['pjsip/carrier-a', 'UNAVAILABLE'],
    ['pjsip/carrier-b', 'INUSE'],
    ['pjsip/carrier-c', 'INVALID'],
  ]);

  it("is its endpoint's device state, whatever its case: UNAVAILABLE and INVALID unreachable, any other reachable, none unknown", () => {
    expect(reachOf(route('A', 'carrier-a'), states)).toEqual({ device: 'PJSIP/carrier-a', state: 'UNAVAILABLE', reachable: false });
    expect(reachOf(route('B', 'Carrier-B'), states)).toEqual({ device: 'PJSIP/Carrier-B', state: 'INUSE', reachable: true });
    expect(reachOf(route('C', 'carrier-c'), states).reachable).toBe(false);
    expect(reachOf(route('D', 'carrier-d'), states)).toEqual({ device: 'PJSIP/carrier-d', state: null, reachable: null });
    expect(reachOf(route('Local', null), states)).toEqual({ device: null, state: null, reachable: null });
  });

  it('holds a campaign only when every enabled trunk is unreachable, naming each', () => {
    expect(unreachableHold([route('A', 'carrier-a'), route('C', 'carrier-c'), route('B', 'carrier-b', false)], states)).toBe(
      'every trunk is unreachable: A (PJSIP/carrier-a UNAVAILABLE), C (PJSIP/carrier-c INVALID)',
    );
    expect(unreachableHold([route('A', 'carrier-a'), route('B', 'carrier-b')], states)).toBeNull();
    expect(unreachableHold([route('A', 'carrier-a'), route('Local', null)], states)).toBeNull();
    expect(unreachableHold([route('B', 'carrier-b', false)], states)).toBeNull();
  });

  it('takes the room of the unreachable trunks only', () => {
    const room = closeUnreachable([route('A', 'carrier-a'), route('B', 'carrier-b'), route('D', 'carrier-d')], states, new Map([['A', null], ['B', 3], ['D', null]]));
    expect([...room]).toEqual([
      ['A', 0],
      ['B', 3],
      ['D', null],
    ]);
  });
});
