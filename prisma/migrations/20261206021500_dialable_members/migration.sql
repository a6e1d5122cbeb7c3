-- The lease reads IDLE members level by level (list, priority) in due order, and stops after the few it takes
-- (src/dialer/leasing.ts takeMembers). Partial and expression indexes: Prisma's schema cannot say them, and its
-- diff leaves them be.
CREATE INDEX "Member_dialable_idx" ON "Member"("dialListId", "priority" DESC, (COALESCE("nextAttemptAt", '-infinity'::timestamp)), "id") WHERE "status" = 'IDLE';

-- Due scheduled calls (addCall, callbacks), dialed ahead of the rest.
CREATE INDEX "Member_scheduled_dialable_idx" ON "Member"("dialListId", "priority" DESC, (COALESCE("nextAttemptAt", '-infinity'::timestamp)), "id") WHERE "status" = 'IDLE' AND "scheduledAt" IS NOT NULL;

-- A preview agent's own members (Member.agent), offered to that agent first.
CREATE INDEX "Member_agent_dialable_idx" ON "Member"("dialListId", "agent", "priority" DESC, ("scheduledAt" IS NOT NULL) DESC, (COALESCE("nextAttemptAt", '-infinity'::timestamp)), "id") WHERE "status" = 'IDLE' AND "agent" IS NOT NULL;

-- Members waiting for setMemberResult (the plan's waitForResult), for when the first of them falls due.
CREATE INDEX "Member_result_due_idx" ON "Member"("dialListId", "resultDueAt") WHERE "status" = 'IDLE' AND "resultDueAt" IS NOT NULL;
