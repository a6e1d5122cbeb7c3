import { NotFoundError, ValidationError } from '../errors.js';
import type { Destination, PrismaClient } from '../generated/prisma/client.js';
import type { DestinationType } from '../generated/prisma/enums.js';
import { checkApplication, type ApplicationPolicy } from './applications.js';
import { deleteUsedByCampaigns } from './campaignRemoval.js';
import { Problems, text, variables } from '../validate.js';

export type DestinationInput = {
  name?: string | null;
  detail?: string | null;
  type?: DestinationType | null;
  context?: string | null;
  exten?: string | null;
  priority?: string | null;
  application?: string | null;
  data?: string | null;
  variables?: Record<string, string> | null;
};

const APPLICATION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function destinationData(input: DestinationInput, existing: Destination | null, applications: ApplicationPolicy) {
  const problems = new Problems();
  const name = text(problems, 'name', input.name, { required: !existing || input.name !== undefined, max: 100 });
  const detail = text(problems, 'detail', input.detail, { max: 1000 });
  const context = text(problems, 'context', input.context, { max: 80 });
  const exten = text(problems, 'exten', input.exten, { max: 80 });
  const priority = text(problems, 'priority', input.priority, { max: 40 });
  const application = text(problems, 'application', input.application, { max: 80 });
  const data = text(problems, 'data', input.data, { max: 1000 });
  variables(problems, 'variables', input.variables ?? undefined);
  const type = input.type ?? existing?.type;
  if (!type) problems.add('type', 'is required (EXTENSION or APPLICATION)');
  // The merged result must make sense for its type, whichever fields this input touched.
  const merged = {
    context: context === undefined ? existing?.context : context,
    exten: exten === undefined ? existing?.exten : exten,
    application: application === undefined ? existing?.application : application,
    data: data === undefined ? existing?.data : data,
  };
  if (type === 'EXTENSION') {
    if (!merged.context) problems.add('context', 'is required for an EXTENSION destination');
    if (!merged.exten) problems.add('exten', 'is required for an EXTENSION destination');
  }
  if (type === 'APPLICATION') {
    if (!merged.application) problems.add('application', 'is required for an APPLICATION destination (e.g. Queue, Park)');
    else if (!APPLICATION_NAME.test(merged.application)) problems.add('application', 'must be a dialplan application name');
    else checkApplication(problems, applications, merged.application, merged.data);
  }
  problems.throwIfAny('destination');
  return {
    name: name ?? undefined,
    detail,
    type: type ?? undefined,
    context,
    exten,
    // Dialplan execution starts at priority 1 unless told otherwise.
    priority: type === 'EXTENSION' && !(priority === undefined ? existing?.priority : priority) ? '1' : priority,
    application,
    data,
    variables: input.variables ?? undefined,
  };
}

export async function createDestination(prisma: PrismaClient, input: DestinationInput, applications: ApplicationPolicy): Promise<Destination> {
  const data = destinationData(input, null, applications);
  return prisma.destination.create({ data: { ...data, name: data.name ?? '', type: data.type ?? 'EXTENSION' } });
}

export async function findLiveDestination(prisma: PrismaClient, id: string): Promise<Destination> {
  const destination = await prisma.destination.findUnique({ where: { id } });
  if (!destination || !destination.inUse) throw new NotFoundError('Destination', id);
  return destination;
}

export async function updateDestination(prisma: PrismaClient, id: string, input: DestinationInput, applications: ApplicationPolicy): Promise<Destination> {
  const existing = await findLiveDestination(prisma, id);
  if (input.name === null) throw ValidationError.of('name', 'cannot be cleared');
  return prisma.destination.update({ where: { id }, data: destinationData(input, existing, applications) });
}

/** Soft-deletes a destination; with campaigns still using it, only with `force`, which deletes them too. */
export async function deleteDestination(prisma: PrismaClient, id: string, force: boolean): Promise<Destination> {
  const destination = await findLiveDestination(prisma, id);
  return deleteUsedByCampaigns(prisma, `Destination "${destination.name}"`, { destinationId: id }, force, (tx, now) =>
    tx.destination.update({ where: { id }, data: { inUse: false, deletedAt: now } }),
  );
}

/** The queue an APPLICATION destination runs (Queue(sales,...)): its free agents pace the calls. Null for anything else. */
export function queueOf(destination: Pick<Destination, 'type' | 'application' | 'data'>): string | null {
  if (destination.type !== 'APPLICATION' || destination.application?.toLowerCase() !== 'queue') return null;
  return (destination.data ?? '').split(',')[0]?.trim() || null;
}
