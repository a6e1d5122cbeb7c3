import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Prisma, PrismaClient, Trunk } from '../generated/prisma/client.js';
import { decimal, integer, Problems, TECH_NAME, text } from '../validate.js';
import { dialStringTemplateProblem, endpointNameProblem } from './dialStringRules.js';

export type TrunkInput = {
  name?: string | null;
  detail?: string | null;
  techName?: string | null;
  endpoint?: string | null;
  dialStringTemplate?: string | null;
  maxChannels?: number | null;
  callerId?: string | null;
  originatesPerSecond?: number | null;
  enabled?: boolean | null;
};

function trunkData(input: TrunkInput, existing: Trunk | null): Prisma.TrunkUncheckedCreateInput {
  const problems = new Problems();
  const name = text(problems, 'name', input.name, { required: !existing || input.name !== undefined, max: 100 });
  const detail = text(problems, 'detail', input.detail, { max: 1000 });
  const techName = text(problems, 'techName', input.techName, { max: 40 });
  if (techName && !TECH_NAME.test(techName)) problems.add('techName', 'must be a channel technology such as PJSIP, SIP or IAX2');
  const endpoint = text(problems, 'endpoint', input.endpoint, { max: 80 });
  const endpointProblem = endpoint ? endpointNameProblem(endpoint) : null;
  if (endpointProblem) problems.add('endpoint', endpointProblem);
  const dialStringTemplate = text(problems, 'dialStringTemplate', input.dialStringTemplate, { max: 200 });
  const templateProblem = dialStringTemplate ? dialStringTemplateProblem(dialStringTemplate, []) : null;
  if (templateProblem) problems.add('dialStringTemplate', templateProblem);
  const merged = {
    endpoint: endpoint === undefined ? existing?.endpoint : endpoint,
    dialStringTemplate: dialStringTemplate === undefined ? existing?.dialStringTemplate : dialStringTemplate,
  };
  if (!merged.endpoint && !merged.dialStringTemplate) problems.add('endpoint', 'or dialStringTemplate is required: the trunk must say where it dials');
  integer(problems, 'maxChannels', input.maxChannels, { min: 1, max: 100_000 });
  const callerId = text(problems, 'callerId', input.callerId, { max: 100 });
  decimal(problems, 'originatesPerSecond', input.originatesPerSecond, { min: 0.1, max: 1000 });
  problems.throwIfAny('trunk');
  return {
    name: name ?? '',
    detail,
    techName: techName ?? undefined,
    endpoint,
    dialStringTemplate,
    maxChannels: input.maxChannels,
    callerId,
    originatesPerSecond: input.originatesPerSecond,
    enabled: input.enabled ?? undefined,
  };
}

export async function createTrunk(prisma: PrismaClient, input: TrunkInput): Promise<Trunk> {
  return prisma.trunk.create({ data: trunkData(input, null) });
}

export async function findLiveTrunk(prisma: PrismaClient, id: string): Promise<Trunk> {
  const trunk = await prisma.trunk.findUnique({ where: { id } });
  if (!trunk || !trunk.inUse) throw new NotFoundError('Trunk', id);
  return trunk;
}

/** Changes a trunk; every plan routing to it dials by the change from its next call on. */
export async function updateTrunk(prisma: PrismaClient, id: string, input: TrunkInput): Promise<Trunk> {
  const existing = await findLiveTrunk(prisma, id);
  if (input.name === null) throw ValidationError.of('name', 'cannot be cleared');
  const { name, ...data } = trunkData(input, existing);
  return prisma.trunk.update({ where: { id }, data: input.name === undefined ? data : { ...data, name } });
}

/**
 * Soft-deletes a trunk no live plan routes to. While one does it is a ConflictError naming the plans: taking
 * a trunk out from under a plan would leave its numbers with nowhere to go, so the plans change first (or the
 * trunk is disabled, which every plan passes over).
 */
export async function deleteTrunk(prisma: PrismaClient, id: string): Promise<Trunk> {
  const trunk = await findLiveTrunk(prisma, id);
  return prisma.$transaction(async (tx) => {
    const routes = await tx.planTrunk.findMany({ where: { trunkId: id, plan: { inUse: true } }, select: { plan: { select: { id: true, name: true } } } });
    if (routes.length > 0) {
      const plans = [...new Map(routes.map(({ plan }) => [plan.id, plan])).values()];
      throw new ConflictError(
        `Trunk "${trunk.name}" is used by plans ${plans.map((plan) => plan.name).join(', ')}: take it out of them first, or disable it`,
        plans.map((plan) => ({ typename: 'Plan', id: plan.id })),
      );
    }
    return tx.trunk.update({ where: { id }, data: { inUse: false, deletedAt: new Date() } });
  });
}
