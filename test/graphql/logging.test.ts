import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type LogCapture } from '../ami/logCapture.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Pino's error level: what operators page on. */
const ERROR = 50;

describe.skipIf(!postgresAvailable)('what the API logs of the answers it gives', () => {
  let server: TestServer;
  let logs: LogCapture;

  beforeAll(async () => {
    if (!postgresAvailable) return;
    logs = captureLogs();
    server = await startTestServer(await createPostgresDatabase(), { log: logs.log });
  });
  afterAll(async () => {
    if (!server) return;
    await server.close();
    await server.database.drop();
  });

  it('logs a client\'s mistakes (a bad id, a role too low, a field that does not exist) below error level', async () => {
    const answers = await Promise.all([
      server.graphql('{ campaign(id: "nope") { name } }'),
      server.graphql('{ users(first: 1) { edges { node { id } } } }', {}, server.tokens.VIEWER),
      server.graphql('{ campaigns(first: 1) { edges { node { nam } } } }'),
    ]);
    expect(answers.map((answer) => answer.errors?.[0]?.extensions?.code)).toEqual(['BAD_USER_INPUT', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED']);
    expect(logs.records.filter((record) => record.level >= ERROR)).toEqual([]);
  });
});
