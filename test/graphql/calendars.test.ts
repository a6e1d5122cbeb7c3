import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const CALENDAR = 'id name detail timezone openingHours { weekday opens closes } holidays { date name } exceptionDates { date name hours { opens closes } } inUse deletedAt';
const CREATED = resultOf('CreateCalendarSuccess', CALENDAR);
const UPDATED = resultOf('UpdateCalendarSuccess', CALENDAR);
const DELETED = resultOf('DeleteCalendarSuccess', 'id inUse deletedAt');

type Calendar = { id: string; inUse: boolean; [field: string]: unknown };
type Failure = { __typename: string; problems?: { field: string; message: string }[]; blockingIds?: string[]; requiredRole?: string; resource?: string };

const fieldsOf = (failure: Failure) => failure.problems?.map((problem) => problem.field).sort();

/** Lisbon's office: split weekday hours, Christmas, a short Christmas Eve. */
const LISBON = {
  name: 'Lisbon office',
  timezone: 'Europe/Lisbon',
  openingHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opens: '14:00', closes: '18:00' },
    { weekday, opens: '09:00', closes: '12:30' },
  ]),
  holidays: [{ date: '2026-12-25', name: 'Christmas' }],
  exceptionDates: [{ date: '2026-12-24', name: 'Christmas Eve', hours: [{ opens: '09:00', closes: '13:00' }] }],
};

describe.skipIf(!postgresAvailable)('calendars', () => {
  const server = useServer();
  const createCalendar = (input: Record<string, unknown>, token?: string) =>
    server.current.graphql(`mutation($input: CreateCalendarInput!) { createCalendar(input: $input) { ${CREATED} } }`, { input }, token);
  const updateCalendar = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdateCalendarInput!) { updateCalendar(id: $id, input: $input) { ${UPDATED} } }`, { id, input });
  const deleteCalendar = (id: string, force?: boolean) =>
    server.current.graphql(`mutation($id: ID!, $force: Boolean) { deleteCalendar(id: $id, force: $force) { ${DELETED} } }`, { id, force });
  const created = async (input: Record<string, unknown>) => success<Calendar>((await createCalendar(input)).data, 'createCalendar');
  const refused = async (input: Record<string, unknown>) => (await createCalendar(input)).data?.createCalendar as Failure;

  /** A campaign with a plan and dial list of its own, using `calendarId` when given. */
  async function campaignUsing(calendarId: string | null, name: string): Promise<string> {
    const made = async (mutation: string, input: string) =>
      success<{ id: string }>((await server.current.graphql(`mutation { ${mutation}(input: ${input}) { ${resultOf(`${mutation.replace(/^c/, 'C')}Success`, 'id')} } }`)).data, mutation);
    const plan = await made('createPlan', `{ name: "Plan of ${name}", maxConcurrentCalls: 2 }`);
    const list = await made('createDialList', `{ name: "List of ${name}" }`);
    const destination = await made('createDestination', `{ name: "Destination of ${name}", type: EXTENSION, context: "agents", exten: "100" }`);
    const { data } = await server.current.graphql(`mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${resultOf('CreateCampaignSuccess', 'id')} } }`, {
      input: { name, planId: plan.id, destinationId: destination.id, dialListId: list.id, calendarId },
    });
    return success<{ id: string }>(data, 'createCampaign').id;
  }
  const calendarOf = async (campaignId: string) =>
    ((await server.current.graphql(`query($id: ID!) { campaign(id: $id) { inUse calendar { id name } } }`, { id: campaignId })).data as { campaign: { inUse: boolean; calendar: { id: string } | null } }).campaign;

  describe('creating and reading', () => {
    it('keeps split weekday hours, holidays and exception dates, each list in order, times as HH:MM:SS', async () => {
      const calendar = await created({ ...LISBON, openingHours: [...LISBON.openingHours, { weekday: 6, opens: '20:00', closes: '24:00' }] });
      expect(calendar).toMatchObject({ name: 'Lisbon office', timezone: 'Europe/Lisbon', inUse: true, deletedAt: null });
      expect((calendar.openingHours as unknown[]).slice(0, 2)).toEqual([
        { weekday: 1, opens: '09:00:00', closes: '12:30:00' },
        { weekday: 1, opens: '14:00:00', closes: '18:00:00' },
      ]);
      expect((calendar.openingHours as unknown[]).at(-1)).toEqual({ weekday: 6, opens: '20:00:00', closes: '24:00:00' });
      expect(calendar.holidays).toEqual([{ date: '2026-12-25', name: 'Christmas' }]);
      expect(calendar.exceptionDates).toEqual([{ date: '2026-12-24', name: 'Christmas Eve', hours: [{ opens: '09:00:00', closes: '13:00:00' }] }]);
    });

    it('says whether it is open at an instant and when that next changes', async () => {
      const calendar = await created({ ...LISBON, name: 'Asked' });
      const { data } = await server.current.graphql(
        `query($id: ID!) { node(id: $id) { ... on Calendar {
          lunch: isOpen(at: "2026-11-23T13:00:00Z") morning: isOpen(at: "2026-11-23T10:00:00Z") christmas: isOpen(at: "2026-12-25T10:00:00Z")
          afterLunch: nextChange(at: "2026-11-23T13:00:00Z") afterEve: nextChange(at: "2026-12-24T13:00:00Z") now: isOpen } } }`,
        { id: calendar.id },
      );
      expect(data?.node).toEqual({
        lunch: false,
        morning: true,
        christmas: false,
        afterLunch: '2026-11-23T14:00:00.000Z',
        afterEve: '2026-12-28T09:00:00.000Z',
        now: expect.any(Boolean),
      });
    });

    it('lists calendars by name, counted, and leaves deleted ones out unless asked', async () => {
      const gone = await created({ name: 'Porto branch', timezone: 'Europe/Lisbon' });
      await created({ name: 'Porto call centre', timezone: 'Europe/Lisbon' });
      await deleteCalendar(gone.id);
      const named = async (includeDeleted: boolean) =>
        (await server.current.graphql(`query($d: Boolean) { calendars(first: 10, filter: { name: "porto", includeDeleted: $d }) { totalCount edges { node { name } } } }`, { d: includeDeleted }))
          .data as { calendars: { totalCount: number; edges: { node: { name: string } }[] } };
      expect((await named(false)).calendars).toEqual({ totalCount: 1, edges: [{ node: { name: 'Porto call centre' } }] });
      expect((await named(true)).calendars.totalCount).toBe(2);
    });
  });

  describe('validation', () => {
    it('names each bad field by its path: zone, times, weekday, dates', async () => {
      const failure = await refused({
        name: 'Bad',
        timezone: 'Europe/Atlantis',
        openingHours: [
          { weekday: 7, opens: '09:00', closes: '17:00' },
          { weekday: 1, opens: '9am', closes: '17:00' },
          { weekday: 2, opens: '18:00', closes: '09:00' },
          { weekday: 3, opens: '24:00', closes: '24:00' },
        ],
        holidays: [{ date: '2026-02-30', name: 'Nope' }],
        exceptionDates: [{ date: '26-12-24', hours: [{ opens: '09:00', closes: '25:00' }] }],
      });
      expect(failure.__typename).toBe('ValidationError');
      expect(fieldsOf(failure)).toEqual([
        'exceptionDates[0].date',
        'exceptionDates[0].hours[0].closes',
        'holidays[0].date',
        'openingHours[0].weekday',
        'openingHours[1].opens',
        'openingHours[2].closes',
        'openingHours[3].opens',
        'timezone',
      ]);
      expect(failure.problems?.find((problem) => problem.field === 'openingHours[2].closes')?.message).toMatch(/after opens.*22:00-24:00 and 00:00-06:00/);
    });

    it('refuses overlapping ranges on one day, naming both, but lets ranges meet', async () => {
      const failure = await refused({
        name: 'Overlaps',
        timezone: 'UTC',
        openingHours: [
          { weekday: 1, opens: '09:00', closes: '13:00' },
          { weekday: 1, opens: '12:30', closes: '18:00' },
          { weekday: 2, opens: '09:00', closes: '13:00' },
          { weekday: 2, opens: '13:00', closes: '18:00' },
        ],
        exceptionDates: [{ date: '2026-12-24', hours: [{ opens: '10:00', closes: '12:00' }, { opens: '09:00', closes: '11:00' }] }],
      });
      expect(fieldsOf(failure)).toEqual(['exceptionDates[0].hours[0]', 'openingHours[1]']);
      expect(failure.problems?.find((problem) => problem.field === 'openingHours[1]')?.message).toBe('overlaps openingHours[0] (09:00-13:00) on Mondays');
    });

    it('refuses a date listed twice or as both a holiday and an exception date, and an exception date without hours', async () => {
      const failure = await refused({
        name: 'Twice',
        timezone: 'UTC',
        holidays: [{ date: '2026-12-25' }, { date: '2026-12-25' }, { date: '2026-12-24' }],
        exceptionDates: [{ date: '2026-12-24', hours: [{ opens: '09:00', closes: '13:00' }] }, { date: '2026-12-31', hours: [] }],
      });
      expect(fieldsOf(failure)).toEqual(['exceptionDates[0].date', 'exceptionDates[1].hours', 'holidays[0].date', 'holidays[1].date', 'holidays[2].date']);
    });

    it('bounds the lists: at most 8 ranges a day and 1000 dates', async () => {
      const crowded = await refused({ name: 'Crowded', timezone: 'UTC', openingHours: Array.from({ length: 9 }, (_, hour) => ({ weekday: 1, opens: `0${hour}:00`, closes: `0${hour}:30` })) });
      expect(fieldsOf(crowded)).toEqual(['openingHours[8]']);
      const holidays = Array.from({ length: 1001 }, (_, day) => ({ date: new Date(Date.UTC(2027, 0, 1 + day)).toISOString().slice(0, 10) }));
      expect(fieldsOf(await refused({ name: 'Long', timezone: 'UTC', holidays }))).toEqual(['holidays']);
    });

    it('requires a name and a time zone, and stores nothing when refused', async () => {
      expect(fieldsOf(await refused({ name: ' ', timezone: '' }))).toEqual(['name', 'timezone']);
      const { data } = await server.current.graphql(`{ calendars(first: 10, filter: { name: "Overlaps", includeDeleted: true }) { totalCount } }`);
      expect(data).toEqual({ calendars: { totalCount: 0 } });
    });
  });

  describe('updating', () => {
    it('replaces only the lists given, and keeps the others', async () => {
      const calendar = await created({ ...LISBON, name: 'Changing' });
      const { data } = await updateCalendar(calendar.id, { holidays: [{ date: '2027-01-01', name: 'New Year' }], detail: 'Head office' });
      const changed = success<Calendar>(data, 'updateCalendar');
      expect(changed).toMatchObject({ name: 'Changing', detail: 'Head office', holidays: [{ date: '2027-01-01', name: 'New Year' }], exceptionDates: calendar.exceptionDates });
      expect(changed.openingHours).toEqual(calendar.openingHours);
      const cleared = success<Calendar>((await updateCalendar(calendar.id, { exceptionDates: [], openingHours: [] })).data, 'updateCalendar');
      expect(cleared).toMatchObject({ openingHours: [], exceptionDates: [], holidays: [{ date: '2027-01-01', name: 'New Year' }] });
    });

    it("names a holiday that clashes with a stored exception date, and refuses clearing the name or zone", async () => {
      const calendar = await created({ ...LISBON, name: 'Clashing' });
      const clash = await updateCalendar(calendar.id, { holidays: [{ date: '2026-12-24' }] });
      expect((clash.data?.updateCalendar as Failure).problems).toEqual([{ field: 'holidays[0].date', message: "repeats 2026-12-24, also in the calendar's stored exceptionDates" }]);
      expect(fieldsOf((await updateCalendar(calendar.id, { timezone: null })).data?.updateCalendar as Failure)).toEqual(['timezone']);
      expect(fieldsOf((await updateCalendar(calendar.id, { name: null })).data?.updateCalendar as Failure)).toEqual(['name']);
    });

    it('answers NotFoundError for an unknown or deleted calendar', async () => {
      const calendar = await created({ name: 'Short-lived', timezone: 'UTC' });
      await deleteCalendar(calendar.id);
      expect((await updateCalendar(calendar.id, { detail: 'x' })).data?.updateCalendar).toMatchObject({ __typename: 'NotFoundError', resource: 'Calendar' });
    });
  });

  describe('campaigns using a calendar', () => {
    it('links a campaign to its calendar, lists the campaigns of a calendar, and takes the calendar away with null', async () => {
      const calendar = await created({ ...LISBON, name: 'Linked' });
      const campaignId = await campaignUsing(calendar.id, 'Linked campaign');
      expect((await calendarOf(campaignId)).calendar).toEqual({ id: calendar.id, name: 'Linked' });
      const { data } = await server.current.graphql(`query($id: ID!) { campaigns(first: 10, filter: { calendarId: $id }) { edges { node { id } } } }`, { id: calendar.id });
      expect(data).toEqual({ campaigns: { edges: [{ node: { id: campaignId } }] } });
      await server.current.graphql(`mutation($id: ID!) { updateCampaign(id: $id, input: { calendarId: null }) { __typename } }`, { id: campaignId });
      expect((await calendarOf(campaignId)).calendar).toBeNull();
    });

    it('refuses a calendar that does not exist or an id of another type', async () => {
      const campaignId = await campaignUsing(null, 'Unlinked campaign');
      const update = (calendarId: string) =>
        server.current.graphql(`mutation($id: ID!, $calendarId: ID) { updateCampaign(id: $id, input: { calendarId: $calendarId }) { ${resultOf('UpdateCampaignSuccess', 'id')} } }`, {
          id: campaignId,
          calendarId,
        });
      const gone = await created({ name: 'Gone', timezone: 'UTC' });
      await deleteCalendar(gone.id);
      expect((await update(gone.id)).data?.updateCampaign).toMatchObject({ __typename: 'NotFoundError', resource: 'Calendar' });
      expect(fieldsOf((await update(campaignId)).data?.updateCampaign as Failure)).toEqual(['calendarId']);
    });

    it('refuses to delete a calendar live campaigns use, naming them; with force it takes the calendar from them and keeps them', async () => {
      const calendar = await created({ ...LISBON, name: 'In use' });
      const campaignId = await campaignUsing(calendar.id, 'Keeps to it');
      const blocked = await deleteCalendar(calendar.id);
      expect(blocked.data?.deleteCalendar).toMatchObject({ __typename: 'ConflictError', blockingIds: [campaignId] });
      const deleted = success<Calendar>((await deleteCalendar(calendar.id, true)).data, 'deleteCalendar');
      expect(deleted).toMatchObject({ inUse: false, deletedAt: expect.any(String) });
      expect(await calendarOf(campaignId)).toEqual({ inUse: true, calendar: null });
    });

    it('copies the calendar when a campaign is cloned', async () => {
      const calendar = await created({ ...LISBON, name: 'Cloned with' });
      const campaignId = await campaignUsing(calendar.id, 'Original');
      const { data } = await server.current.graphql(`mutation($id: ID!) { cloneCampaign(id: $id) { ${resultOf('CloneCampaignSuccess', 'id calendar { id }')} } }`, { id: campaignId });
      expect(success<{ calendar: { id: string } }>(data, 'cloneCampaign').calendar).toEqual({ id: calendar.id });
    });
  });

  it('lets a VIEWER read calendars and refuses it a change, naming the SUPERVISOR role', async () => {
    await created({ name: 'Readable', timezone: 'UTC' });
    const read = await server.current.graphql(`{ calendars(first: 1, filter: { name: "Readable" }) { edges { node { name } } } }`, {}, server.current.tokens.VIEWER);
    expect(read.data).toEqual({ calendars: { edges: [{ node: { name: 'Readable' } }] } });
    expect((await createCalendar({ name: 'Not mine', timezone: 'UTC' }, server.current.tokens.VIEWER)).data?.createCalendar).toMatchObject({
      __typename: 'ForbiddenError',
      requiredRole: 'SUPERVISOR',
    });
  });
});
