import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './users.js';
import './session.js';
import './plans.js';
import './trunks.js';
import './destinations.js';
import './dialLists.js';
import './members.js';
import './memberIntake.js';
import './calendars.js';
import './campaigns.js';
import './attempts.js';
import './campaignRuns.js';
import './campaignProgress.js';
import './pbxServers.js';
import './health.js';
import './liveTypes.js';
import './liveQueries.js';
import './liveSubscriptions.js';
import './supervisor.js';
import './preview.js';
import './engine.js';
import './reports.js';
import './callResults.js';
import './rescheduleRules.js';
import './dispositions.js';
import './webhooks.js';
import './blacklists.js';
import './addCall.js';
import './campaignLists.js';
import { auditMutations } from './audit.js';

/** Every mutation of it is recorded in the audit log. */
export const schema: GraphQLSchema = auditMutations(builder.toSchema());

/** The SDL committed as schema.graphql, sorted so it diffs cleanly. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
