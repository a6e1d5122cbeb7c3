/** The call centre of issue 9's pacing bench; durations in seconds. */
export interface CallCentreModel {
  agents: number;
  answerProbability: number;
  answerRingSec: readonly [number, number];
  /** Of the calls not answered, the share that ring until the dial timeout; the rest fail busy. */
  noAnswerShare: number;
  dialTimeoutSec: number;
  busyRingSec: readonly [number, number];
  /** An answered call that finds no free agent within this long is abandoned. */
  seatWaitSec: number;
  meanTalkSec: number;
  wrapUpSec: number;
  dayHours: number;
}

export const ISSUE_MODEL: CallCentreModel = {
  agents: 20,
  answerProbability: 0.25,
  answerRingSec: [3, 15],
  noAnswerShare: 0.7,
  dialTimeoutSec: 25,
  busyRingSec: [1, 3],
  seatWaitSec: 2,
  meanTalkSec: 120,
  wrapUpSec: 10,
  dayHours: 8,
};
