import type { HealthCheck, HealthReport } from '../health.js';
import { builder } from './builder.js';

const HealthCheckRef = builder.objectRef<HealthCheck>('HealthCheck').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    ok: t.exposeBoolean('ok'),
    latencyMs: t.exposeFloat('latencyMs'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const HealthRef = builder.objectRef<HealthReport>('Health').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'True when every dependency answered.' }),
    checks: t.field({ type: [HealthCheckRef], resolve: (report) => report.checks }),
    uptimeSec: t.exposeFloat('uptimeSec'),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    authScopes: { role: 'VIEWER' },
    description: 'The database and every other dependency, with their latencies (also GET /health).',
    resolve: (_root, _args, context) => context.health(),
  }),
);
