/**
 * The API process of the publish benchmark (run by run.ts): the HTTP + graphql-ws server the tests start,
 * on the bench's database, with a Redis bus of its own as a separate API process has. Prints its address,
 * a VIEWER token and the CPU its start took as one JSON line; when stdin ends it prints what it used, and closes.
 */
import { parseArgs } from 'node:util';
import { createBus } from '../../src/bus/bus.js';
import { openDatabase } from '../../src/db/open.js';
import { startTestServer } from '../../test/support/server.js';
import { cpuSeconds, serveUntilStdinEnds } from './serverUsage.js';

const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, 'redis-url': { type: 'string' } } });
const databaseUrl = values['database-url'] as string;
const database = await openDatabase({ databaseUrl, dataDir: '' });
const bus = createBus({ redisUrl: values['redis-url'] as string });
const server = await startTestServer({ ...database, url: databaseUrl, drop: () => database.close() }, { bus });
const usage = await serveUntilStdinEnds({ wsUrl: server.wsUrl, token: server.tokens.VIEWER, cpuSeconds: cpuSeconds() });
await server.close();
await bus.close();
await database.close();
console.log(JSON.stringify(usage));
