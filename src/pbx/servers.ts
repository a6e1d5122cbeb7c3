import { ConflictError, NotFoundError } from '../errors.js';
import type { PbxServer, PrismaClient } from '../generated/prisma/client.js';
import { integer, Problems, text } from '../validate.js';

export type PbxServerInput = {
  name?: string | null;
  host?: string | null;
  port?: number | null;
  username?: string | null;
  secret?: string | null;
  originatesPerSecond?: number | null;
  enabled?: boolean | null;
};

const HOST = /^[A-Za-z0-9.:_-]+$/;

function serverData(input: PbxServerInput, creating: boolean) {
  const problems = new Problems();
  const required = (field: keyof PbxServerInput) => creating || input[field] !== undefined;
  const name = text(problems, 'name', input.name, { required: required('name'), max: 100 });
  const host = text(problems, 'host', input.host, { required: required('host'), max: 255 });
  if (host && !HOST.test(host)) problems.add('host', 'must be a host name or an IP address');
  integer(problems, 'port', input.port, { min: 1, max: 65_535 });
  const username = text(problems, 'username', input.username, { required: required('username'), max: 100 });
  const secret = text(problems, 'secret', input.secret, { required: required('secret'), max: 200 });
  integer(problems, 'originatesPerSecond', input.originatesPerSecond, { min: 1, max: 1000 });
  problems.throwIfAny('PBX server');
  return {
    name: name ?? undefined,
    host: host ?? undefined,
    port: input.port ?? undefined,
    username: username ?? undefined,
    secret: secret ?? undefined,
    originatesPerSecond: input.originatesPerSecond ?? undefined,
    enabled: input.enabled ?? undefined,
  };
}

export async function createPbxServer(prisma: PrismaClient, input: PbxServerInput): Promise<PbxServer> {
  const data = serverData(input, true);
  return prisma.pbxServer.create({
    data: { ...data, name: data.name ?? '', host: data.host ?? '', username: data.username ?? '', secret: data.secret ?? '' },
  });
}

export async function findLivePbxServer(prisma: PrismaClient, id: string): Promise<PbxServer> {
  const server = await prisma.pbxServer.findUnique({ where: { id } });
  if (!server || !server.inUse) throw new NotFoundError('PbxServer', id);
  return server;
}

export async function updatePbxServer(prisma: PrismaClient, id: string, input: PbxServerInput): Promise<PbxServer> {
  await findLivePbxServer(prisma, id);
  const data = serverData(input, false);
  return prisma.pbxServer.update({ where: { id }, data });
}

/** Soft-deletes a server; one with live dialings on it only with `force`. */
export async function deletePbxServer(prisma: PrismaClient, id: string, force: boolean): Promise<PbxServer> {
  const server = await findLivePbxServer(prisma, id);
  const live = await prisma.dialing.count({ where: { server: server.name } });
  if (live > 0 && !force) {
    throw new ConflictError(`PBX server "${server.name}" has ${live} live dialings: wait for them to end or pass force: true`);
  }
  return prisma.pbxServer.update({ where: { id }, data: { inUse: false, enabled: false, deletedAt: new Date() } });
}
