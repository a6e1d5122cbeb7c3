import { randomUUID } from 'node:crypto';
import { channelFields, type SimChannel } from './channels.js';
import type { EventHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** What a bridge snapshot says of its kind: `basic`/`simple_bridge`, or app_agent_pool's `agent_hold`/`holding_bridge`. */
export type BridgeKind = { type: string; technology: string; creator: string; name: string };

export const BASIC_BRIDGE: BridgeKind = { type: 'basic', technology: 'simple_bridge', creator: '<unknown>', name: '<unknown>' };

/** One bridge and its Bridge* events; BridgeNumChannels counts the channels in it after each change. */
export class SimBridge {
  readonly id = randomUUID();
  private readonly members = new Set<SimChannel>();

  constructor(
    private readonly pbx: EventHost,
    private readonly kind: BridgeKind,
  ) {
    pbx.emit('BridgeCreate', 'call,all', this.fields());
  }

  get size(): number {
    return this.members.size;
  }

  enter(channel: SimChannel): void {
    this.members.add(channel);
    channel.bridgeId = this.id;
    this.pbx.emit('BridgeEnter', 'call,all', [...this.fields(), ...channelFields(channel)]);
  }

  leave(channel: SimChannel): void {
    if (!this.members.delete(channel)) return;
    channel.bridgeId = '';
    this.pbx.emit('BridgeLeave', 'call,all', [...this.fields(), ...channelFields(channel)]);
  }

  destroy(): void {
    this.pbx.emit('BridgeDestroy', 'call,all', this.fields());
  }

  private fields(): Fields {
    return [
      ['BridgeUniqueid', this.id],
      ['BridgeType', this.kind.type],
      ['BridgeTechnology', this.kind.technology],
      ['BridgeCreator', this.kind.creator],
      ['BridgeName', this.kind.name],
      ['BridgeNumChannels', String(this.members.size)],
      ['BridgeVideoSourceMode', 'none'],
    ];
  }
}
