import { describe, expect, it } from 'vitest';
import type { TrunkRoute } from '../../src/dialer/routes.js';
import { routesTaking } from '../../src/dialer/routes.js';
import { pacedRoom, routeFor, trunkChannelsFree, trunkChannelsUp, trunkRoom } from '../../src/dialer/trunk.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { created, trunkChannel } from './trunkChannels.js';

const route = (trunkId: string | null, extra: Partial<TrunkRoute> = {}): TrunkRoute => ({
  trunkId,
  name: trunkId ?? 'carrier',
  techName: 'PJSIP',
  endpoint: trunkId ?? 'carrier',
  dialStringTemplate: null,
  maxChannels: 4,
  callerId: null,
  originatesPerSecond: null,
  enabled: true,
  pattern: null,
  ...extra,
});
const carrier = route(null);

describe('a trunk capacity', () => {
  it("counts every channel up on each limited trunk's endpoint on that server, whoever placed it, and nothing else", async () => {
    const store = new MemoryLiveStore();
    await store.apply('pbx1', [
      created(trunkChannel('pbx1', 'PJSIP/carrier-00000001', 'a')),
      created(trunkChannel('pbx1', 'pjsip/Carrier-00000002', 'b')),
      created(trunkChannel('pbx1', 'PJSIP/carrier2-00000003', 'c')),
      created(trunkChannel('pbx1', 'PJSIP/2001-00000004', 'd')),
      created(trunkChannel('pbx1', 'Local/3001@customers-00000005;1', 'e')),
    ]);
    await store.apply('pbx2', [created(trunkChannel('pbx2', 'PJSIP/carrier-00000001', 'f'))]);
    const names = async (server: string, routes: TrunkRoute[]) => [...(await trunkChannelsUp(store, server, routes))].map(([key, up]) => [key, up.map((channel) => channel.name)]);
    expect(await names('pbx1', [carrier, route('t2', { endpoint: 'carrier2' })])).toEqual([
      ['', ['PJSIP/carrier-00000001', 'pjsip/Carrier-00000002']],
      ['t2', ['PJSIP/carrier2-00000003']],
    ]);
    expect(await names('pbx2', [carrier])).toEqual([['', ['PJSIP/carrier-00000001']]]);
    // No limit, or no endpoint to watch: nothing to read.
    expect(await names('pbx1', [route(null, { maxChannels: null }), route('t3', { endpoint: null })])).toEqual([]);
  });

  const up = (...linkedids: string[]) => new Map([['', linkedids.map((linkedid, index) => ({ name: `PJSIP/carrier-0000000${index}`, linkedid }))]]);

  it("leaves room for the capacity less the other traffic up on it and the dialers' own calls, never below none", () => {
    expect(trunkRoom([carrier], up('inbound'), { '': ['d1'] }).get('')).toBe(2);
    expect(trunkRoom([carrier], up('inbound-1', 'inbound-2', 'inbound-3'), { '': ['d1', 'd2'] }).get('')).toBe(0);
    expect(trunkRoom([carrier], up(), {}).get('')).toBe(4);
    expect(trunkRoom([route(null, { maxChannels: null })], up('inbound'), {}).get('')).toBeNull();
  });

  it("counts each of the dialers' calls once, whether or not its leg on the trunk shows yet", () => {
    expect(trunkRoom([carrier], up('inbound'), { '': ['d1', 'd2'] }).get('')).toBe(1);
    expect(trunkRoom([carrier], up('inbound', 'd1'), { '': ['d1', 'd2'] }).get('')).toBe(1);
    expect(trunkRoom([carrier], up('d1', 'd2'), { '': ['d1', 'd2'] }).get('')).toBe(2);
  });

  it("counts a trunk without an endpoint by the dialers' calls alone", () => {
    expect(trunkRoom([route('t1', { endpoint: null, maxChannels: 3 })], new Map(), { t1: ['d1'] }).get('t1')).toBe(2);
  });

  it("lets a trunk with a pace of its own take no more in a tick than that pace lets out before the next", () => {
    const slow = route('slow', { maxChannels: null, originatesPerSecond: 2 });
    const crowded = route('crowded', { maxChannels: 4, originatesPerSecond: 100 });
    const room = pacedRoom([slow, crowded], trunkRoom([slow, crowded], new Map(), { crowded: ['d1', 'd2', 'd3'] }), 1000);
    expect([...room]).toEqual([
      ['slow', 2],
      ['crowded', 1],
    ]);
    expect(pacedRoom([slow], trunkRoom([slow], new Map(), {}), 100).get('slow')).toBe(1);
  });

  it('paces by the room of the enabled trunks together, unlimited when one of them is, and none when all are disabled', () => {
    const mobile = route('mobile', { maxChannels: 2 });
    const landline = route('landline', { maxChannels: 5 });
    const room = trunkRoom([mobile, landline, mobile], new Map(), { mobile: ['d1'] });
    expect(trunkChannelsFree([mobile, landline, mobile], room)).toBe(6);
    expect(trunkChannelsFree([mobile, { ...landline, enabled: false }], room)).toBe(1);
    expect(trunkChannelsFree([mobile, route('open', { maxChannels: null })], trunkRoom([mobile, route('open', { maxChannels: null })], new Map(), {}))).toBeNull();
    expect(trunkChannelsFree([{ ...mobile, enabled: false }], room)).toBe(0);
  });
});

describe("a number's trunk", () => {
  const mobile = route('mobile', { pattern: /^9\d{8}$/u, maxChannels: 1 });
  const landline = route('landline', { pattern: /^2/u, maxChannels: 1 });
  const overflow = route('overflow', { maxChannels: null });
  const routes = [mobile, landline, overflow];

  it('is the first trunk in order whose pattern takes the number and that has room, taking one place of it', () => {
    const room = trunkRoom(routes, new Map(), {});
    expect(routeFor(room, routesTaking(routes, '912345678'))).toBe(mobile);
    expect(room.get('mobile')).toBe(0);
    expect(routeFor(room, routesTaking(routes, '912345679'))).toBe(overflow);
    expect(routeFor(room, routesTaking(routes, '213456789'))).toBe(landline);
  });

  it('is none when no trunk takes the number, and full when those that do are full or disabled', () => {
    const room = trunkRoom([mobile, landline], new Map(), { mobile: ['d1'] });
    expect(routeFor(room, routesTaking([mobile, landline], '800123'))).toBe('none');
    expect(routeFor(room, routesTaking([mobile, landline], '912345678'))).toBe('full');
    expect(routeFor(room, routesTaking([{ ...landline, enabled: false }], '213456789'))).toBe('full');
  });
});
