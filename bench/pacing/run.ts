/**
 * Pacing benchmark (`npm run bench:pacing`, or `-- --days 5 --scenarios base,agents10`): issue 9's call
 * centre simulated on a virtual clock, dialed by the production Pacer (src/dialer/pacing) in each mode and
 * by a fixed dial level, day by day with seeded randomness; see bench/README.md.
 */
import { parseArgs } from 'node:util';
import { Pacer } from '../../src/dialer/pacing/pacer.js';
import type { PacingPlan } from '../../src/dialer/pacing/snapshot.js';
import { fixedDialLevel } from './fixedDialLevel.js';
import { measure, type PolicyFigures } from './measure.js';
import { type CallCentreModel, ISSUE_MODEL } from './model.js';
import { bestWithin, steps } from './sweep.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '5' },
    scenarios: { type: 'string', default: 'base,agents10,agents50,answer10,answer40' },
  },
});
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1) throw new Error(`--days must be a whole number above 0, got ${values.days}`);

const SCENARIOS: Record<string, { title: string; model: CallCentreModel }> = {
  base: { title: '20 agents, answer rate 0.25 (the issue model)', model: ISSUE_MODEL },
  agents10: { title: '10 agents, answer rate 0.25', model: { ...ISSUE_MODEL, agents: 10 } },
  agents50: { title: '50 agents, answer rate 0.25', model: { ...ISSUE_MODEL, agents: 50 } },
  answer10: { title: '20 agents, answer rate 0.10', model: { ...ISSUE_MODEL, answerProbability: 0.1 } },
  answer40: { title: '20 agents, answer rate 0.40', model: { ...ISSUE_MODEL, answerProbability: 0.4 } },
};

/** The plan settings of the PREDICTIVE runs: a target under the limit, so a day's noise stays under it. */
const PREDICTIVE_SETTINGS = [
  { limit: 0.03, targetAbandonPercent: 2.8, maxAbandonPercent: 3 },
  { limit: 0.01, targetAbandonPercent: 0.92, maxAbandonPercent: 1 },
];

const BASE_PLAN: PacingPlan = {
  dialMode: 'PROGRESSIVE',
  serviceLevel: 0,
  maxConcurrentCalls: null,
  targetAbandonPercent: 2.5,
  maxAbandonPercent: 3,
  warmUpAttempts: 150,
};

interface Row {
  policy: string;
  setting: string;
  figures: PolicyFigures | undefined;
}

const percent = (rate: number): string => `${(rate * 100).toFixed(1)} %`;
const abandon = (rate: number): string => `${(rate * 100).toFixed(2)} %`;

function table(rows: readonly Row[]): string[] {
  const lines = [
    '| policy | setting | occupancy | abandon rate, mean | abandon rate, worst day | agent wait between calls (s) | connected calls per agent-hour |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const { policy, setting, figures } of rows) {
    lines.push(
      figures === undefined
        ? `| ${policy} | ${setting} | | | | | |`
        : `| ${policy} | ${setting} | ${percent(figures.occupancy)} | ${abandon(figures.meanAbandonRate)} | ` +
            `${abandon(figures.worstAbandonRate)} | ${figures.waitBetweenCallsSec.toFixed(1)} | ${figures.connectedPerAgentHour.toFixed(2)} |`,
    );
  }
  return lines;
}

function scenarioRows(model: CallCentreModel): { rows: Row[]; verdicts: string[] } {
  const pacer = (plan: PacingPlan) => measure(model, () => new Pacer(), plan, days);
  const fixed = (level: number) => measure(model, () => fixedDialLevel(level), BASE_PLAN, days);
  // jade's rule alone is PREDICTIVE that never finishes warming up.
  const jade = (serviceLevel: number) =>
    pacer({ ...BASE_PLAN, dialMode: 'PREDICTIVE', serviceLevel, warmUpAttempts: Number.MAX_SAFE_INTEGER });
  const rows: Row[] = [{ policy: 'PROGRESSIVE', setting: '', figures: pacer(BASE_PLAN) }];
  const verdicts: string[] = [];
  for (const { limit, targetAbandonPercent, maxAbandonPercent } of PREDICTIVE_SETTINGS) {
    const within = `every day <= ${limit * 100} %`;
    const bestFixed = bestWithin(steps(1, 20, 0.1), fixed, limit);
    const bestJade = bestWithin(steps(0, 60, 1), jade, limit);
    const predictive = pacer({ ...BASE_PLAN, dialMode: 'PREDICTIVE', targetAbandonPercent, maxAbandonPercent });
    rows.push(
      { policy: `best fixed dial level, ${within}`, setting: bestFixed ? `${bestFixed.setting} calls per free agent` : 'none passes', figures: bestFixed?.figures },
      { policy: `best jade rule, ${within}`, setting: bestJade ? `service level ${bestJade.setting}` : 'none passes', figures: bestJade?.figures },
      { policy: 'PREDICTIVE', setting: `target ${targetAbandonPercent} %, max ${maxAbandonPercent} %`, figures: predictive },
    );
    const kept = predictive.worstAbandonRate <= limit;
    const ahead = bestFixed === undefined || predictive.occupancy > bestFixed.figures.occupancy;
    verdicts.push(
      `PREDICTIVE (${within}): ${percent(predictive.occupancy)}, worst day ${abandon(predictive.worstAbandonRate)} ` +
        `(${kept ? 'kept' : 'NOT kept'}), ${ahead ? 'ahead of' : 'NOT ahead of'} the best fixed dial level`,
    );
  }
  return { rows, verdicts };
}

console.log(`${days} days of ${ISSUE_MODEL.dayHours} hours per policy, seeds 1..${days}; Node ${process.version}`);
for (const name of (values.scenarios as string).split(',')) {
  const scenario = SCENARIOS[name];
  if (scenario === undefined) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const started = Date.now();
  const { rows, verdicts } = scenarioRows(scenario.model);
  console.log(['', `### ${scenario.title}`, '', ...table(rows), '', ...verdicts.map((line) => `- ${line}`)].join('\n'));
  console.error(`${name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
