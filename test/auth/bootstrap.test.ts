import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/auth/apiTokens.js';
import { BOOTSTRAP_TOKEN_NAME, ensureAdminAccess } from '../../src/auth/bootstrap.js';
import { hashSecret } from '../../src/auth/secrets.js';
import { createUser } from '../../src/auth/users.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CONFIGURED_TOKEN = 'operator-chosen-admin-token-0123456789';

describe.skipIf(!postgresAvailable)('bootstrap: there is always a way in as ADMIN', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function emptyDatabase(): Promise<TestDatabase> {
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    return database;
  }

  async function dataDir(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'switchboard-bootstrap-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    // A folder that does not exist yet, as on a first start.
    return join(folder, 'data');
  }

  async function serve(database: TestDatabase): Promise<TestServer> {
    const server = await startTestServer(database);
    cleanups.push(() => server.close());
    return server;
  }

  async function whoIs(server: TestServer, token: string) {
    const response = await server.graphql<{ me: { kind: string; name: string; role: string } }>(`{ me { kind name role } }`, {}, token);
    return { status: response.status, me: response.data?.me };
  }

  it('generates an ADMIN token on an empty database, writes it to DATA_DIR/admin-token readable by the owner only, and it works', async () => {
    const database = await emptyDatabase();
    const dir = await dataDir();
    const result = await ensureAdminAccess(database.prisma, { adminToken: undefined, dataDir: dir });
    if (result.kind !== 'generated') throw new Error(`expected a generated token, got ${result.kind}`);
    expect(result.file).toBe(join(dir, 'admin-token'));
    expect(await readFile(result.file, 'utf8')).toBe(`${result.secret}\n`);
    expect((await stat(result.file)).mode & 0o777).toBe(0o600);

    const stored = await database.prisma.apiToken.findMany();
    expect(stored).toEqual([expect.objectContaining({ name: BOOTSTRAP_TOKEN_NAME, role: 'ADMIN', tokenHash: hashSecret(result.secret) })]);

    const server = await serve(database);
    expect(await whoIs(server, result.secret)).toEqual({ status: 200, me: { kind: 'API_TOKEN', name: BOOTSTRAP_TOKEN_NAME, role: 'ADMIN' } });
  });

  it('generates nothing on a second start, and leaves the file as it was', async () => {
    const database = await emptyDatabase();
    const dir = await dataDir();
    const first = await ensureAdminAccess(database.prisma, { adminToken: undefined, dataDir: dir });
    expect(first.kind).toBe('generated');
    const file = await readFile(join(dir, 'admin-token'), 'utf8');

    expect(await ensureAdminAccess(database.prisma, { adminToken: undefined, dataDir: dir })).toEqual({ kind: 'existing' });
    expect(await database.prisma.apiToken.count()).toBe(1);
    expect(await readFile(join(dir, 'admin-token'), 'utf8')).toBe(file);
  });

  it('registers a configured ADMIN_TOKEN, stored hashed, working as ADMIN, once however often the server starts', async () => {
    const database = await emptyDatabase();
    const dir = await dataDir();
    for (let start = 0; start < 2; start++) {
      expect(await ensureAdminAccess(database.prisma, { adminToken: CONFIGURED_TOKEN, dataDir: dir })).toEqual({ kind: 'configured' });
    }
    const stored = await database.prisma.apiToken.findMany();
    expect(stored).toEqual([expect.objectContaining({ role: 'ADMIN', tokenHash: hashSecret(CONFIGURED_TOKEN) })]);
    expect(JSON.stringify(stored)).not.toContain(CONFIGURED_TOKEN);
    // Nothing generated, so nothing written.
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });

    const server = await serve(database);
    expect(await whoIs(server, CONFIGURED_TOKEN)).toEqual({ status: 200, me: { kind: 'API_TOKEN', name: BOOTSTRAP_TOKEN_NAME, role: 'ADMIN' } });
  });

  it('generates a new token when every admin credential is revoked, and the old one stays refused', async () => {
    const database = await emptyDatabase();
    const dir = await dataDir();
    const first = await ensureAdminAccess(database.prisma, { adminToken: undefined, dataDir: dir });
    if (first.kind !== 'generated') throw new Error(`expected a generated token, got ${first.kind}`);
    const token = await database.prisma.apiToken.findFirstOrThrow();
    await revokeApiToken(database.prisma, token.id);

    const second = await ensureAdminAccess(database.prisma, { adminToken: undefined, dataDir: dir });
    if (second.kind !== 'generated') throw new Error(`expected a generated token, got ${second.kind}`);
    expect(second.secret).not.toBe(first.secret);
    expect(await readFile(join(dir, 'admin-token'), 'utf8')).toBe(`${second.secret}\n`);
    expect((await stat(second.file)).mode & 0o777).toBe(0o600);

    const server = await serve(database);
    expect((await whoIs(server, second.secret)).me?.role).toBe('ADMIN');
    expect((await whoIs(server, first.secret)).status).toBe(401);
  });

  it('counts an enabled ADMIN user as access, but not a disabled one, an expired ADMIN token or tokens of lesser roles', async () => {
    const database = await emptyDatabase();
    const dir = await dataDir();
    const prisma = database.prisma;
    const now = new Date();
    await createApiToken(prisma, { name: 'supervisor', role: 'SUPERVISOR' });
    await createApiToken(prisma, { name: 'viewer', role: 'VIEWER' });
    await createApiToken(prisma, { name: 'lapsed', role: 'ADMIN', expiresAt: new Date(now.getTime() - 1000) }, new Date(now.getTime() - 60_000));
    const admin = await createUser(prisma, { username: 'root', password: 'root password 1', role: 'ADMIN' });
    expect(await ensureAdminAccess(prisma, { adminToken: undefined, dataDir: dir }, now)).toEqual({ kind: 'existing' });

    await prisma.user.update({ where: { id: admin.id }, data: { disabled: true } });
    const result = await ensureAdminAccess(prisma, { adminToken: undefined, dataDir: dir }, now);
    expect(result.kind).toBe('generated');
  });

  it.each([
    ['looks like a session token', `sbs_${'a'.repeat(30)}`],
    ['contains a space', 'admin token with a space in it 0123'],
    ['ends with a space', `${CONFIGURED_TOKEN} `],
  ])('accepts an ADMIN_TOKEN that %s only if it then works as a bearer token', async (_case, value) => {
    let adminToken: string | undefined;
    try {
      adminToken = loadConfig({ ADMIN_TOKEN: value }).adminToken;
    } catch (error) {
      // Refusing it at start, naming the variable, is as good as making it work.
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('ADMIN_TOKEN');
      return;
    }
    const database = await emptyDatabase();
    expect(await ensureAdminAccess(database.prisma, { adminToken, dataDir: await dataDir() })).toEqual({ kind: 'configured' });
    const server = await serve(database);
    expect(await whoIs(server, value)).toEqual({ status: 200, me: { kind: 'API_TOKEN', name: BOOTSTRAP_TOKEN_NAME, role: 'ADMIN' } });
  });
});
