import { builder } from './builder.js';
import {
  AgentRef,
  CallRef,
  ChannelRef,
  DeviceRef,
  ParkedCallRef,
  ParkingLotRef,
  PbxStatusRef,
  QueueRef,
  sortChannels,
  sortedBy,
  sortParkedCalls,
} from './liveTypes.js';

/** The live state as the ingest worker keeps it, read from the live store; every list is sorted the same way each time. */

const SERVER_DESCRIPTION = "Only this PBX server's (its name as the ingest worker knows it); every server's when absent.";

builder.queryFields((t) => {
  const server = () => t.arg.string({ description: SERVER_DESCRIPTION });
  return {
    channels: t.field({
      type: [ChannelRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every channel up now, by server and creation time.',
      args: { server: server() },
      resolve: async (_root, args, context) => sortChannels(await context.store.list('channel', { server: args.server ?? undefined })),
    }),
    calls: t.field({
      type: [CallRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every call (channels grouped by linkedid), by server and creation time.',
      args: { server: server() },
      resolve: async (_root, args, context) =>
        sortedBy(await context.store.list('call', { server: args.server ?? undefined }), (c) => [c.server, c.createdAt, c.linkedid]),
    }),
    queues: t.field({
      type: [QueueRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every queue, by server and name.',
      args: { server: server() },
      resolve: async (_root, args, context) =>
        sortedBy(await context.store.list('queue', { server: args.server ?? undefined }), (q) => [q.server, q.name]),
    }),
    queue: t.field({
      type: QueueRef,
      nullable: true,
      authScopes: { role: 'VIEWER' },
      description: 'One queue with its members and callers; null when no server has it. Without server, the first server (by name) that has it.',
      args: { name: t.arg.string({ required: true }), server: server() },
      resolve: async (_root, args, context) => {
        const found = (await context.store.list('queue', { server: args.server ?? undefined })).filter((q) => q.name === args.name);
        return sortedBy(found, (q) => [q.server])[0] ?? null;
      },
    }),
    parkingLots: t.field({
      type: [ParkingLotRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every parking lot, by server and name.',
      args: { server: server() },
      resolve: async (_root, args, context) =>
        sortedBy(await context.store.list('parkingLot', { server: args.server ?? undefined }), (l) => [l.server, l.name]),
    }),
    parkedCalls: t.field({
      type: [ParkedCallRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every parked call, by server, lot and space.',
      args: { server: server(), lot: t.arg.string({ description: 'Only the calls parked in this lot.' }) },
      resolve: async (_root, args, context) => {
        const calls = await context.store.list('parkedCall', { server: args.server ?? undefined });
        return sortParkedCalls(args.lot == null ? calls : calls.filter((call) => call.lot === args.lot));
      },
    }),
    agents: t.field({
      type: [AgentRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every app_agent_pool agent, by server and id.',
      args: { server: server() },
      resolve: async (_root, args, context) =>
        sortedBy(await context.store.list('agent', { server: args.server ?? undefined }), (a) => [a.server, a.id]),
    }),
    devices: t.field({
      type: [DeviceRef],
      authScopes: { role: 'VIEWER' },
      description: 'Every device state, by server and device.',
      args: { server: server() },
      resolve: async (_root, args, context) =>
        sortedBy(await context.store.list('device', { server: args.server ?? undefined }), (d) => [d.server, d.device]),
    }),
    pbxStatus: t.field({
      type: [PbxStatusRef],
      authScopes: { role: 'VIEWER' },
      description: 'What each PBX server says of itself (versions, uptime, last reload, current calls), by server.',
      args: { server: server() },
      resolve: async (_root, args, context) =>
        sortedBy(await context.store.list('pbx', { server: args.server ?? undefined }), (p) => [p.server]),
    }),
  };
});
