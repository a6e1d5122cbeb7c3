import type { SqlDriver } from '../db/driver.js';
import type { CallOutcome } from '../generated/prisma/enums.js';

/**
 * Counts and summed durations of a set of attempts (WombatDialer's reports/stats), in seconds:
 * ring = originate to answer, wait = answer to bridge (the customer waiting for an agent), talk = bridge
 * (or answer, when never bridged) to hang-up, total = originate to hang-up.
 */
export type AttemptFigures = {
  attempts: number;
  answered: number;
  /** Bridged to the destination (an agent). */
  connected: number;
  totalSec: number;
  ringSec: number;
  waitSec: number;
  talkSec: number;
};

export type OutcomeFigures = AttemptFigures & { outcome: CallOutcome };
/** completionCode null: the attempts no completion code was set on. */
export type CompletionCodeFigures = AttemptFigures & { completionCode: string | null };
export type GroupFigures = AttemptFigures & { outcome: CallOutcome; completionCode: string | null };

export type AttemptStats = {
  total: AttemptFigures;
  byOutcome: OutcomeFigures[];
  byCompletionCode: CompletionCodeFigures[];
  byOutcomeAndCompletionCode: GroupFigures[];
};

export type AttemptScope = {
  campaignId: string;
  /** One run only; every run when absent. */
  runId?: string | null;
  /** Attempts that ended at or after `from` and before `to`. */
  from?: Date | null;
  to?: Date | null;
};

const ZERO: AttemptFigures = { attempts: 0, answered: 0, connected: 0, totalSec: 0, ringSec: 0, waitSec: 0, talkSec: 0 };

function add(a: AttemptFigures, b: AttemptFigures): AttemptFigures {
  return {
    attempts: a.attempts + b.attempts,
    answered: a.answered + b.answered,
    connected: a.connected + b.connected,
    totalSec: a.totalSec + b.totalSec,
    ringSec: a.ringSec + b.ringSec,
    waitSec: a.waitSec + b.waitSec,
    talkSec: a.talkSec + b.talkSec,
  };
}

function figures(row: AttemptFigures): AttemptFigures {
  const { attempts, answered, connected, totalSec, ringSec, waitSec, talkSec } = row;
  return { attempts, answered, connected, totalSec, ringSec, waitSec, talkSec };
}

/** Groups summed by a key, most attempts first (then by key, so the order is stable). */
function rollUp<K>(groups: readonly GroupFigures[], keyOf: (group: GroupFigures) => K): { key: K; figures: AttemptFigures }[] {
  const sums = new Map<K, AttemptFigures>();
  for (const group of groups) sums.set(keyOf(group), add(sums.get(keyOf(group)) ?? ZERO, figures(group)));
  return [...sums]
    .map(([key, sum]) => ({ key, figures: sum }))
    .sort((a, b) => b.figures.attempts - a.figures.attempts || String(a.key).localeCompare(String(b.key)));
}

/** Every total comes from the same groups, so they add up to the attempts in scope exactly. */
export function statsOfGroups(groups: readonly GroupFigures[]): AttemptStats {
  return {
    total: groups.map(figures).reduce(add, ZERO),
    byOutcome: rollUp(groups, (group) => group.outcome).map(({ key, figures: sum }) => ({ outcome: key, ...sum })),
    byCompletionCode: rollUp(groups, (group) => group.completionCode).map(({ key, figures: sum }) => ({ completionCode: key, ...sum })),
    byOutcomeAndCompletionCode: [...groups],
  };
}

const seconds = (from: string, to: string) => `coalesce(sum(extract(epoch FROM ${to} - ${from})), 0)::float8`;

/** The stats of a campaign's attempts, or of one of its runs, in one pass over them. */
export async function attemptStats(driver: SqlDriver, scope: AttemptScope): Promise<AttemptStats> {
  const groups = await driver.withConnection((connection) =>
    connection.query<GroupFigures>(
      `SELECT outcome::text AS outcome, "completionCode",
              count(*)::int AS attempts, count("answeredAt")::int AS answered, count("bridgedAt")::int AS connected,
              ${seconds('"originatedAt"', '"endedAt"')} AS "totalSec",
              ${seconds('"originatedAt"', '"answeredAt"')} AS "ringSec",
              ${seconds('"answeredAt"', '"bridgedAt"')} AS "waitSec",
              ${seconds('coalesce("bridgedAt", "answeredAt")', '"endedAt"')} AS "talkSec"
         FROM "CallAttempt"
        WHERE "campaignId" = $1::uuid
          AND ($2::uuid IS NULL OR "runId" = $2::uuid)
          AND ($3::timestamptz IS NULL OR "endedAt" >= $3::timestamptz AT TIME ZONE 'UTC')
          AND ($4::timestamptz IS NULL OR "endedAt" < $4::timestamptz AT TIME ZONE 'UTC')
        GROUP BY outcome, "completionCode"
        ORDER BY attempts DESC, outcome, "completionCode" NULLS FIRST`,
      [scope.campaignId, scope.runId ?? null, scope.from?.toISOString() ?? null, scope.to?.toISOString() ?? null],
    ),
  );
  return statsOfGroups(groups);
}
