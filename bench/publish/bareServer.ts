/**
 * The bare stack the publish benchmark compares the product against (`--server bare`): graphql-yoga and
 * graphql-ws as their own documentation puts them together, one subscription field with the shape the bench
 * asks for, fed from the same Redis topics the product's bus uses. No authentication, no plugins, no shared
 * executions: what yoga, graphql-ws and Redis cost alone. Speaks to run.ts as server.ts does.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { topics } from '../../src/bus/topics.js';
import { cpuSeconds, serveUntilStdinEnds } from './serverUsage.js';

type Stamped = { server: string; value: { uniqueid: string; applicationData: string } };

const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, 'redis-url': { type: 'string' } } });
const redisUrl = values['redis-url'] as string;
const publishClient = new Redis(redisUrl);
const subscribeClient = new Redis(redisUrl);
// The product's bus sends one event as its JSON and several published together as a JSON array of them.
const pubsub = createPubSub<Record<string, [Stamped | Stamped[]]>>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });

async function* channelEvents(server: string | null, callerIdNum: string | null): AsyncGenerator<{ channelEvents: { channel: Stamped['value'] } }> {
  for await (const message of pubsub.subscribe(callerIdNum ? topics.channelsOfCallerId(callerIdNum) : topics.channels)) {
    for (const event of Array.isArray(message) ? message : [message]) {
      if (server === null || event.server === server) yield { channelEvents: { channel: event.value } };
    }
  }
}

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Channel { uniqueid: String! applicationData: String! }
    type ChannelEvent { channel: Channel! }
    input ChannelFilter { server: String, callerIdNum: String }
    type Query { ok: Boolean! }
    type Subscription { channelEvents(filter: ChannelFilter): ChannelEvent! }
  `,
  resolvers: {
    Query: { ok: () => true },
    Subscription: {
      channelEvents: {
        subscribe: (_root: unknown, args: { filter?: { server?: string | null; callerIdNum?: string | null } | null }) =>
          channelEvents(args.filter?.server ?? null, args.filter?.callerIdNum ?? null),
      },
    },
  },
});

const yoga = createYoga({ schema, graphiql: false, logging: false });
const http = createServer(yoga.requestListener);
const wss = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint });
type RootValue = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
const sockets = useServer(
  {
    execute: (args) => (args.rootValue as RootValue).execute(args) as never,
    subscribe: (args) => (args.rootValue as RootValue).subscribe(args) as never,
    onSubscribe: async (ctx, _id, payload) => {
      const { schema: enveloped, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, params: payload });
      const document = parse(payload.query);
      const errors = validate(enveloped, document);
      if (errors.length > 0) return errors;
      const rootValue: RootValue = { execute, subscribe };
      return { schema: enveloped, operationName: payload.operationName, document, variableValues: payload.variables, contextValue: await contextFactory(), rootValue };
    },
  },
  wss,
);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const address = http.address();
if (address === null || typeof address === 'string') throw new Error('the bare server has no TCP address');

const usage = await serveUntilStdinEnds({ wsUrl: `ws://127.0.0.1:${address.port}${yoga.graphqlEndpoint}`, token: 'unused', cpuSeconds: cpuSeconds() });
await sockets.dispose();
await new Promise((resolve) => http.close(resolve));
await Promise.all([publishClient.quit(), subscribeClient.quit()]);
console.log(JSON.stringify(usage));
