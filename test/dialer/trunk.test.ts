import { describe, expect, it } from 'vitest';
import { trunkChannelsFree, trunkChannelsUp } from '../../src/dialer/trunk.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { created, trunkChannel } from './trunkChannels.js';

const plan = { techName: 'PJSIP', trunkName: 'carrier', trunkMaxChannels: 4 };

describe('a trunk capacity', () => {
  it("counts every channel up on the plan's trunk on that server, whoever placed it, and nothing else", async () => {
    const store = new MemoryLiveStore();
    await store.apply('pbx1', [
      created(trunkChannel('pbx1', 'PJSIP/carrier-00000001', 'a')),
      created(trunkChannel('pbx1', 'pjsip/Carrier-00000002', 'b')),
      created(trunkChannel('pbx1', 'PJSIP/carrier2-00000003', 'c')),
      created(trunkChannel('pbx1', 'PJSIP/2001-00000004', 'd')),
      created(trunkChannel('pbx1', 'Local/3001@customers-00000005;1', 'e')),
    ]);
    await store.apply('pbx2', [created(trunkChannel('pbx2', 'PJSIP/carrier-00000001', 'f'))]);
    const names = async (server: string) => (await trunkChannelsUp(store, server, plan))?.map((channel) => channel.name);
    expect(await names('pbx1')).toEqual(['PJSIP/carrier-00000001', 'pjsip/Carrier-00000002']);
    expect(await names('pbx2')).toEqual(['PJSIP/carrier-00000001']);
  });

  it('is no limit without a capacity or a trunk name', async () => {
    const store = new MemoryLiveStore();
    expect(await trunkChannelsUp(store, 'pbx1', { ...plan, trunkMaxChannels: null })).toBeNull();
    expect(await trunkChannelsUp(store, 'pbx1', { ...plan, trunkName: null })).toBeNull();
    expect(trunkChannelsFree({ ...plan, trunkMaxChannels: null }, [], ['d1'])).toBeNull();
  });

  const up = (...linkedids: string[]) => linkedids.map((linkedid, index) => ({ name: `PJSIP/carrier-0000000${index}`, linkedid }));

  it("leaves room for the capacity less the other traffic up on it and the campaign's own calls, never below none", () => {
    expect(trunkChannelsFree(plan, up('inbound'), ['d1'])).toBe(2);
    expect(trunkChannelsFree(plan, up('inbound-1', 'inbound-2', 'inbound-3'), ['d1', 'd2'])).toBe(0);
    expect(trunkChannelsFree(plan, up(), [])).toBe(4);
  });

  it("counts each of the campaign's calls once, whether or not its leg on the trunk shows yet", () => {
    expect(trunkChannelsFree(plan, up('inbound'), ['d1', 'd2'])).toBe(1);
    expect(trunkChannelsFree(plan, up('inbound', 'd1'), ['d1', 'd2'])).toBe(1);
    expect(trunkChannelsFree(plan, up('d1', 'd2'), ['d1', 'd2'])).toBe(2);
  });
});
