import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { calendarRows, type CalendarInput, type CalendarRows } from './calendarInput.js';

/** What a calendar is read with to be judged open or closed (Prisma's include): a CalendarSetup. */
export const CALENDAR_SETUP = { hours: true, dates: true } as const;

/** A calendar with its weekly hours and its dates, each exception date's hours among `hours`. */
export type CalendarSetup = Prisma.CalendarGetPayload<{ include: typeof CALENDAR_SETUP }>;

/** Writes the lists an input gave, each replacing the stored one whole; the others stay as they are. */
async function writeLists(tx: Prisma.TransactionClient, calendarId: string, rows: CalendarRows): Promise<void> {
  if (rows.weekly) {
    await tx.calendarHours.deleteMany({ where: { calendarId, weekday: { not: null } } });
    await tx.calendarHours.createMany({ data: rows.weekly.map((range) => ({ calendarId, ...range })) });
  }
  if (rows.holidays) {
    await tx.calendarDate.deleteMany({ where: { calendarId, kind: 'HOLIDAY' } });
    await tx.calendarDate.createMany({ data: rows.holidays.map((holiday) => ({ calendarId, kind: 'HOLIDAY' as const, ...holiday })) });
  }
  if (rows.exceptionDates) {
    // Their hours go with them (ON DELETE CASCADE).
    await tx.calendarDate.deleteMany({ where: { calendarId, kind: 'EXCEPTION' } });
    const dates = await tx.calendarDate.createManyAndReturn({
      data: rows.exceptionDates.map(({ date, name }) => ({ calendarId, kind: 'EXCEPTION' as const, date, name })),
      select: { id: true, date: true },
    });
    const idOf = new Map(dates.map((row) => [row.date, row.id]));
    await tx.calendarHours.createMany({
      data: rows.exceptionDates.flatMap(({ date, hours }) => hours.map((range) => ({ calendarId, exceptionDateId: idOf.get(date), ...range }))),
    });
  }
}

export async function createCalendar(prisma: PrismaClient, input: CalendarInput): Promise<CalendarSetup> {
  const rows = calendarRows(input, null);
  return prisma.$transaction(async (tx) => {
    const { id } = await tx.calendar.create({ data: { name: rows.name ?? '', detail: rows.detail, timezone: rows.timezone ?? 'UTC' } });
    await writeLists(tx, id, rows);
    return tx.calendar.findUniqueOrThrow({ where: { id }, include: CALENDAR_SETUP });
  });
}

export async function findLiveCalendar(prisma: PrismaClient, id: string): Promise<CalendarSetup> {
  const calendar = await prisma.calendar.findUnique({ where: { id }, include: CALENDAR_SETUP });
  if (!calendar || !calendar.inUse) throw new NotFoundError('Calendar', id);
  return calendar;
}

/** Changes a calendar; every campaign using it follows from the dialer's next tick. */
export async function updateCalendar(prisma: PrismaClient, id: string, input: CalendarInput): Promise<CalendarSetup> {
  const stored = await findLiveCalendar(prisma, id);
  if (input.name === null) throw ValidationError.of('name', 'cannot be cleared');
  const rows = calendarRows(input, {
    holidays: stored.dates.filter((row) => row.kind === 'HOLIDAY'),
    exceptionDates: stored.dates.filter((row) => row.kind === 'EXCEPTION'),
  });
  return prisma.$transaction(async (tx) => {
    await writeLists(tx, id, rows);
    // Set by hand: a change to its lists alone is a change of the calendar too.
    return tx.calendar.update({ where: { id }, data: { name: rows.name, detail: rows.detail, timezone: rows.timezone, updatedAt: new Date() }, include: CALENDAR_SETUP });
  });
}

/**
 * Soft-deletes a calendar. While live campaigns use it this is a ConflictError naming them; with `force` they
 * are kept and lose the calendar (they dial by their own schedule alone), rather than being deleted with it.
 */
export async function deleteCalendar(prisma: PrismaClient, id: string, force: boolean): Promise<CalendarSetup> {
  const calendar = await findLiveCalendar(prisma, id);
  return prisma.$transaction(async (tx) => {
    const users = await tx.campaign.findMany({ where: { calendarId: id, inUse: true }, select: { id: true, name: true } });
    if (users.length > 0 && !force) {
      throw new ConflictError(
        `Calendar "${calendar.name}" is used by campaigns ${users.map((campaign) => campaign.name).join(', ')}: give them another calendar or none, or pass force: true to take it from them`,
        users.map((campaign) => ({ typename: 'Campaign', id: campaign.id })),
      );
    }
    await tx.campaign.updateMany({ where: { calendarId: id }, data: { calendarId: null } });
    return tx.calendar.update({ where: { id }, data: { inUse: false, deletedAt: new Date() }, include: CALENDAR_SETUP });
  });
}
