import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import type { CampaignStatus } from '../../src/generated/prisma/enums.js';
import { nextCampaignStatus, type RequestedStatus } from '../../src/outbound/campaignStatus.js';

type Expected = CampaignStatus | 'conflict';

/**
 * jade's state machine: what each request does in each state; `force` only matters when stopping.
 * Typed as a full Record, so a new status cannot be added without deciding its row here.
 */
const TRANSITIONS: Record<RequestedStatus, Record<CampaignStatus, { plain: Expected; forced: Expected }>> = {
  RUNNING: {
    STOPPED: { plain: 'STARTING', forced: 'STARTING' },
    STARTING: { plain: 'STARTING', forced: 'STARTING' },
    RUNNING: { plain: 'RUNNING', forced: 'RUNNING' },
    PAUSING: { plain: 'STARTING', forced: 'STARTING' },
    PAUSED: { plain: 'STARTING', forced: 'STARTING' },
    STOPPING: { plain: 'conflict', forced: 'conflict' },
    FORCE_STOPPING: { plain: 'conflict', forced: 'conflict' },
  },
  PAUSED: {
    STOPPED: { plain: 'conflict', forced: 'conflict' },
    STARTING: { plain: 'PAUSING', forced: 'PAUSING' },
    RUNNING: { plain: 'PAUSING', forced: 'PAUSING' },
    PAUSING: { plain: 'PAUSING', forced: 'PAUSING' },
    PAUSED: { plain: 'PAUSED', forced: 'PAUSED' },
    STOPPING: { plain: 'conflict', forced: 'conflict' },
    FORCE_STOPPING: { plain: 'conflict', forced: 'conflict' },
  },
  STOPPED: {
    STOPPED: { plain: 'STOPPED', forced: 'STOPPED' },
    STARTING: { plain: 'STOPPING', forced: 'FORCE_STOPPING' },
    RUNNING: { plain: 'STOPPING', forced: 'FORCE_STOPPING' },
    PAUSING: { plain: 'STOPPING', forced: 'FORCE_STOPPING' },
    PAUSED: { plain: 'STOPPING', forced: 'FORCE_STOPPING' },
    STOPPING: { plain: 'STOPPING', forced: 'FORCE_STOPPING' },
    FORCE_STOPPING: { plain: 'FORCE_STOPPING', forced: 'FORCE_STOPPING' },
  },
};

const cases = Object.entries(TRANSITIONS).flatMap(([requested, byStatus]) =>
  Object.entries(byStatus).flatMap(([current, { plain, forced }]) => [
    { requested: requested as RequestedStatus, current: current as CampaignStatus, force: false, expected: plain },
    { requested: requested as RequestedStatus, current: current as CampaignStatus, force: true, expected: forced },
  ]),
);

describe('nextCampaignStatus', () => {
  const moves = cases.filter((c) => c.expected !== 'conflict');
  it.each(moves)('a $current campaign asked for $requested (force $force) becomes $expected', ({ current, requested, force, expected }) => {
    expect(nextCampaignStatus(current, requested, force)).toBe(expected);
  });

  const refusals = cases.filter((c) => c.expected === 'conflict');
  it.each(refusals)('a $current campaign asked for $requested (force $force) is a ConflictError', ({ current, requested, force }) => {
    expect(() => nextCampaignStatus(current, requested, force)).toThrow(ConflictError);
    expect(() => nextCampaignStatus(current, requested, force)).toThrow(current);
  });
});
