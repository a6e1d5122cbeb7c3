import { describe, expect, it } from 'vitest';
import { trunkChannelsFree, trunkChannelsInUse } from '../../src/dialer/trunk.js';
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
    expect(await trunkChannelsInUse(store, 'pbx1', plan)).toBe(2);
    expect(await trunkChannelsInUse(store, 'pbx2', plan)).toBe(1);
  });

  it('is no limit without a capacity or a trunk name', async () => {
    const store = new MemoryLiveStore();
    expect(await trunkChannelsInUse(store, 'pbx1', { ...plan, trunkMaxChannels: null })).toBeNull();
    expect(await trunkChannelsInUse(store, 'pbx1', { ...plan, trunkName: null })).toBeNull();
    expect(trunkChannelsFree({ ...plan, trunkMaxChannels: null }, 3, 1)).toBeNull();
  });

  it('leaves room for the capacity less the channels up and the dialings with no channel yet, never below none', () => {
    expect(trunkChannelsFree(plan, 1, 1)).toBe(2);
    expect(trunkChannelsFree(plan, 3, 2)).toBe(0);
    expect(trunkChannelsFree(plan, 0, 0)).toBe(4);
  });
});
