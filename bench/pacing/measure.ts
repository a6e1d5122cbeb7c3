import type { PacingPlan } from '../../src/dialer/pacing/snapshot.js';
import { type DayFigures, type Dialer, simulateDay } from './callCentre.js';
import type { CallCentreModel } from './model.js';

/** A policy's figures over several seeded days; rates are fractions. */
export interface PolicyFigures {
  occupancy: number;
  meanAbandonRate: number;
  worstAbandonRate: number;
  /** Mean seconds an agent waits between the end of one call's wrap-up and the next call. */
  waitBetweenCallsSec: number;
  connectedPerAgentHour: number;
}

/** Runs days 1..`days` (the day is the seed), each with a dialer of its own, as each day is a campaign run. */
export function measure(model: CallCentreModel, newDialer: () => Dialer, plan: PacingPlan, days: number): PolicyFigures {
  const results: DayFigures[] = [];
  for (let seed = 1; seed <= days; seed++) results.push(simulateDay(model, newDialer(), plan, seed));
  const total = (field: keyof DayFigures): number => results.reduce((sum, day) => sum + day[field], 0);
  const abandonRates = results.map((day) => (day.answered === 0 ? 0 : day.abandoned / day.answered));
  return {
    occupancy: total('handlingSec') / total('loggedSec'),
    meanAbandonRate: abandonRates.reduce((sum, rate) => sum + rate, 0) / abandonRates.length,
    worstAbandonRate: Math.max(...abandonRates),
    waitBetweenCallsSec: total('waitBetweenCallsSec') / total('waitsBetweenCalls'),
    connectedPerAgentHour: total('connected') / (total('loggedSec') / 3600),
  };
}
