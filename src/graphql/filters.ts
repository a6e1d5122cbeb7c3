import { builder } from './builder.js';

/** Filters shared by the configuration collections (plans, destinations, dial lists, campaigns, servers). */
export const NamedFilter = builder.inputType('NamedFilter', {
  fields: (t) => ({
    name: t.string({ required: false, description: 'Part of the name, any case.' }),
    includeDeleted: t.boolean({ required: false, description: 'Also list soft-deleted ones (inUse false).' }),
  }),
});

export type NamedFilterShape = { name?: string | null; includeDeleted?: boolean | null } | null | undefined;

export function namedWhere(filter: NamedFilterShape): { inUse?: boolean; name?: { contains: string; mode: 'insensitive' } } {
  return {
    ...(filter?.includeDeleted ? {} : { inUse: true }),
    ...(filter?.name ? { name: { contains: likeLiteral(filter.name), mode: 'insensitive' as const } } : {}),
  };
}

/** Text matched as itself inside a LIKE pattern (Prisma's contains): % and _ are wildcards there, a backslash their escape. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** Newest first is what a person scanning a list expects; ids are UUIDv7, so they sort by creation. */
export const NEWEST_FIRST = { id: 'desc' } as const;
