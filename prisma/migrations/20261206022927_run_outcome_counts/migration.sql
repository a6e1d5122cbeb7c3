-- CreateTable
CREATE TABLE "RunOutcome" (
    "runId" UUID NOT NULL,
    "outcome" "CallOutcome" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RunOutcome_pkey" PRIMARY KEY ("runId","outcome")
);

-- AddForeignKey
ALTER TABLE "RunOutcome" ADD CONSTRAINT "RunOutcome_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CampaignRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The runs recorded so far, counted once from their attempts.
INSERT INTO "RunOutcome" ("runId", "outcome", "count")
SELECT "runId", "outcome", count(*)::int FROM "CallAttempt" GROUP BY "runId", "outcome";
