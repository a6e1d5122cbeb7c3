import { UNKNOWN_REQUESTER } from '../requesters.js';
import { readDialerEngine, setDialerEngineRunning, type DialerEngineState } from '../dialer/engineControl.js';
import { builder } from './builder.js';
import { ForbiddenError } from '../errors.js';

const DialerEngineStateEnum = builder.enumType('DialerEngineRunState', {
  description: "WombatDialer's engine states: RUNNING; STOPPING (stopped, live calls still ending); STOPPED.",
  values: ['RUNNING', 'STOPPING', 'STOPPED'] as const,
});

const DialerEngineRef = builder.objectRef<DialerEngineState>('DialerEngine').implement({
  description: 'Whether the dialers place calls. Stopped, no campaign places a new call; live ones end and are recorded.',
  fields: (t) => ({
    running: t.exposeBoolean('running'),
    state: t.field({
      type: DialerEngineStateEnum,
      resolve: (engine) => (engine.running ? 'RUNNING' : engine.liveDialings > 0 ? 'STOPPING' : 'STOPPED'),
    }),
    liveDialings: t.exposeInt('liveDialings', { description: 'Calls under way now, of every campaign.' }),
    changedBy: t.exposeString('changedBy', { nullable: true, description: 'Who started or stopped it last; null if nobody ever did.' }),
    changedAt: t.expose('changedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('dialerEngine', (t) =>
  t.field({
    type: DialerEngineRef,
    authScopes: { role: 'VIEWER' },
    resolve: (_root, _args, context) => readDialerEngine(context.prisma),
  }),
);

builder.mutationFields((t) => ({
  startDialerEngine: t.field({
    type: DialerEngineRef,
    authScopes: { role: 'ADMIN' },
    errors: { types: [ForbiddenError] },
    description: 'Lets the dialers place calls again, from their next tick; running already, nothing changes.',
    resolve: (_root, _args, context) => setDialerEngineRunning(context.prisma, true, context.viewer?.name ?? UNKNOWN_REQUESTER),
  }),
  stopDialerEngine: t.field({
    type: DialerEngineRef,
    authScopes: { role: 'ADMIN' },
    errors: { types: [ForbiddenError] },
    description: 'Graceful stop: from their next tick no dialer places a new call; live calls end and are recorded. Campaigns keep their status.',
    resolve: (_root, _args, context) => setDialerEngineRunning(context.prisma, false, context.viewer?.name ?? UNKNOWN_REQUESTER),
  }),
}));
