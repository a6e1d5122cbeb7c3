import type { CalendarDate, CalendarHours } from '../generated/prisma/client.js';
import { calendarNextChange, calendarOpen } from '../dialer/schedule/calendar.js';
import { CALENDAR_SETUP, createCalendar, deleteCalendar, updateCalendar } from '../outbound/calendars.js';
import { builder } from './builder.js';
import { NamedFilter, namedWhere, NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { CREATE_ERRORS, EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';

type Range = Pick<CalendarHours, 'opens' | 'closes'>;

const TimeRangeRef = builder.objectRef<Range>('TimeRange').implement({
  description: 'Open from opens to closes (HH:MM:SS, 24 h) on one day; closes is after opens, 24:00:00 for the end of the day.',
  fields: (t) => ({
    opens: t.exposeString('opens'),
    closes: t.exposeString('closes', { description: 'The first moment it is closed again.' }),
  }),
});

const OpeningHoursRef = builder.objectRef<Range & { weekday: number }>('OpeningHours').implement({
  description: 'A range a calendar is open in every week on one weekday; a day may have several (09:00-12:30 and 14:00-18:00).',
  fields: (t) => ({
    weekday: t.exposeInt('weekday', { description: '0 = Sunday .. 6 = Saturday, as a campaign counts its weekdays.' }),
    opens: t.exposeString('opens', { description: 'HH:MM:SS, 24 h.' }),
    closes: t.exposeString('closes', { description: 'HH:MM:SS, after opens; 24:00:00 for the end of the day.' }),
  }),
});

const HolidayRef = builder.objectRef<CalendarDate>('Holiday').implement({
  description: 'A date the calendar is closed all day, whatever its weekday.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD in the calendar zone.' }),
    name: t.exposeString('name', { nullable: true, description: 'What people call it (Christmas): the hold of a campaign it stops says it.' }),
  }),
});

const ExceptionDateRef = builder.objectRef<CalendarDate & { hours: Range[] }>('ExceptionDate').implement({
  description: "A date with hours of its own instead of its weekday's: shorter ones, or a day otherwise closed opened.",
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD in the calendar zone.' }),
    name: t.exposeString('name', { nullable: true }),
    hours: t.field({ type: [TimeRangeRef], resolve: (exception) => exception.hours }),
  }),
});

const byWeekdayAndTime = (a: Range & { weekday: number }, b: Range & { weekday: number }) => a.weekday - b.weekday || a.opens.localeCompare(b.opens);
const byDate = (a: CalendarDate, b: CalendarDate) => a.date.localeCompare(b.date);

export const CalendarRef = builder.prismaNode('Calendar', {
  nullable: true,
  description:
    "Opening hours shared by campaigns (WombatDialer's opening hours, Webitel's calendars): weekly hours, holidays and exception dates in one zone. A campaign with one dials only while both its own schedule and the calendar are open; a change counts from the dialer's next tick.",
  id: { field: 'id' },
  include: CALENDAR_SETUP,
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    detail: t.exposeString('detail', { nullable: true }),
    timezone: t.exposeString('timezone', { description: 'IANA zone its hours and dates are read in.' }),
    openingHours: t.field({
      type: [OpeningHoursRef],
      description: 'By weekday and time; a weekday with none is closed.',
      resolve: (calendar) => calendar.hours.flatMap((range) => (range.weekday === null ? [] : [{ ...range, weekday: range.weekday }])).sort(byWeekdayAndTime),
    }),
    holidays: t.field({ type: [HolidayRef], description: 'By date.', resolve: (calendar) => calendar.dates.filter((date) => date.kind === 'HOLIDAY').sort(byDate) }),
    exceptionDates: t.field({
      type: [ExceptionDateRef],
      description: 'By date.',
      resolve: (calendar) =>
        calendar.dates
          .filter((date) => date.kind === 'EXCEPTION')
          .sort(byDate)
          .map((date) => ({ ...date, hours: calendar.hours.filter((range) => range.exceptionDateId === date.id).sort((a, b) => a.opens.localeCompare(b.opens)) })),
    }),
    isOpen: t.boolean({
      description: 'Whether it is open at the instant (now when not given).',
      args: { at: t.arg({ type: 'DateTime' }) },
      resolve: (calendar, args) => calendarOpen(calendar, args.at ?? new Date()),
    }),
    nextChange: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it next opens or closes after the instant (now when not given); null when it does not within about a year.',
      args: { at: t.arg({ type: 'DateTime' }) },
      resolve: (calendar, args) => calendarNextChange(calendar, args.at ?? new Date()),
    }),
    inUse: t.exposeBoolean('inUse', { description: 'False once deleted.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

const TimeRangeInput = builder.inputType('TimeRangeInput', {
  fields: (t) => ({
    opens: t.string({ required: true, description: 'HH:MM or HH:MM:SS, 24 h.' }),
    closes: t.string({ required: true, description: 'After opens, on the same day; 24:00 for the end of the day.' }),
  }),
});

const OpeningHoursInput = builder.inputType('OpeningHoursInput', {
  description: 'A range on a weekday; list a weekday twice for a split day. A night is two ranges: 22:00-24:00 and 00:00-06:00 the next day.',
  fields: (t) => ({
    weekday: t.int({ required: true, description: '0 = Sunday .. 6 = Saturday.' }),
    opens: t.string({ required: true, description: 'HH:MM or HH:MM:SS, 24 h.' }),
    closes: t.string({ required: true, description: 'After opens; 24:00 for the end of the day.' }),
  }),
});

const HolidayInput = builder.inputType('HolidayInput', {
  fields: (t) => ({
    date: t.string({ required: true, description: 'YYYY-MM-DD.' }),
    name: t.string({ description: 'Christmas: shown in the hold of the campaigns it stops.' }),
  }),
});

const ExceptionDateInput = builder.inputType('ExceptionDateInput', {
  fields: (t) => ({
    date: t.string({ required: true, description: 'YYYY-MM-DD.' }),
    name: t.string(),
    hours: t.field({ type: [TimeRangeInput], required: true, description: "Its hours instead of the weekday's; at least one range (a date closed all day is a holiday)." }),
  }),
});

function calendarInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    description: creating ? undefined : 'Fields left out stay as they are; a list given replaces the whole stored list.',
    fields: (t) => ({
      name: t.string({ required: creating }),
      detail: t.string(),
      timezone: t.string({ required: creating, description: 'IANA zone, such as Europe/Lisbon.' }),
      openingHours: t.field({ type: [OpeningHoursInput] }),
      holidays: t.field({ type: [HolidayInput] }),
      exceptionDates: t.field({ type: [ExceptionDateInput] }),
    }),
  });
}

const CreateCalendarInput = calendarInputType('CreateCalendarInput', true);
const UpdateCalendarInput = calendarInputType('UpdateCalendarInput', false);

builder.queryField('calendars', (t) =>
  t.prismaConnection(
    {
      type: 'Calendar',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: NamedFilter }) },
      totalCount: (_connection, args, context) => context.prisma.calendar.count({ where: namedWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.calendar.findMany({ ...query, where: namedWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('Calendar'),
  ),
);

builder.mutationFields((t) => ({
  createCalendar: t.field({
    type: CalendarRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: CREATE_ERRORS,
    args: { input: t.arg({ type: CreateCalendarInput, required: true }) },
    resolve: (_root, args, context) => createCalendar(context.prisma, args.input),
  }),
  updateCalendar: t.field({
    type: CalendarRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Changes a calendar; every campaign using it follows from the dialer's next tick.",
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateCalendarInput, required: true }) },
    resolve: (_root, args, context) => updateCalendar(context.prisma, localId(args.id, 'Calendar'), args.input),
  }),
  deleteCalendar: t.field({
    type: CalendarRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description:
      'Soft-deletes a calendar. While live campaigns use it this is a ConflictError naming them, unless force: then they keep running and lose the calendar (their own schedule alone applies); they are never deleted with it.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deleteCalendar(context.prisma, localId(args.id, 'Calendar'), args.force ?? false),
  }),
}));
