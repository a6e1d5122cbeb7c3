import type { Campaign, Destination, Dialing, DialList, Member, MemberNumber, Plan } from '../../generated/prisma/client.js';
import { VARIABLE_NAME } from '../../validate.js';
import { OriginateFieldError } from './originateFieldError.js';

/** The records a dialing's channel variables come from. */
export type VariableSources = {
  plan: Pick<Plan, 'variables'>;
  destination: Pick<Destination, 'variables'>;
  campaign: Pick<Campaign, 'id' | 'variables'>;
  dialList: Pick<DialList, 'id' | 'name' | 'variables'>;
  member: Pick<Member, 'id' | 'externalKey' | 'variables'>;
  number: Pick<MemberNumber, 'slot' | 'number'>;
  dialing: Pick<Dialing, 'id' | 'runId' | 'tryCount'>;
};

/**
 * The variables that let the dialplan find the call, as WombatDialer sets WOMBAT_HOPPER_ID,
 * WOMBAT_RETRY_NO, WOMBAT_DIALING_NUMBER and WOMBAT_DIALING_LIST (wombatdialer-api-reference.txt 5-47).
 */
function callIds(sources: VariableSources): Record<string, string> {
  const { campaign, dialList, member, number, dialing } = sources;
  return {
    SB_CAMPAIGN_ID: campaign.id,
    SB_RUN_ID: dialing.runId,
    SB_DIALING_ID: dialing.id,
    SB_DIAL_LIST_ID: dialList.id,
    SB_DIAL_LIST_NAME: dialList.name,
    SB_MEMBER_ID: member.id,
    ...(member.externalKey === null ? {} : { SB_MEMBER_KEY: member.externalKey }),
    SB_NUMBER_SLOT: String(number.slot),
    SB_NUMBER: number.number,
    // 1 on the number's first try.
    SB_TRY: String(dialing.tryCount),
  };
}

export function variableMap(source: string, stored: unknown): Record<string, string> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new OriginateFieldError(`${source}.variables`, `the ${source}'s variables are not a map of names to texts`);
  }
  const entries = Object.entries(stored);
  for (const [name, value] of entries) {
    if (!VARIABLE_NAME.test(name)) throw new OriginateFieldError(`Variable.${name}`, `the ${source}'s variable ${JSON.stringify(name)} is not a name Asterisk accepts`);
    if (typeof value !== 'string') throw new OriginateFieldError(`Variable.${name}`, `the ${source}'s variable ${name} is not a text`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * Every channel variable of the call, with the value the channel gets: the plan's, destination's,
 * campaign's, dial list's and member's variables, a later one winning on a shared name (jade merges plan,
 * destination, then dl the same way: ob_dl_handler.c), then the call ids,
 * which nothing overrides so the dialplan can trust them.
 */
export function channelVariables(sources: VariableSources): Record<string, string> {
  return {
    ...variableMap('plan', sources.plan.variables),
    ...variableMap('destination', sources.destination.variables),
    ...variableMap('campaign', sources.campaign.variables),
    ...variableMap('dialList', sources.dialList.variables),
    ...variableMap('member', sources.member.variables),
    ...callIds(sources),
  };
}
