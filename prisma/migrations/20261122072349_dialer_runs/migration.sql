-- CreateEnum
CREATE TYPE "NumberStrategy" AS ENUM ('BY_PRIORITY', 'TOP_DOWN');

-- DropForeignKey
ALTER TABLE "Dialing" DROP CONSTRAINT "Dialing_pbxServerId_fkey";

-- AlterTable
ALTER TABLE "CallAttempt" DROP COLUMN "pbxServerId",
ADD COLUMN     "runId" UUID NOT NULL,
ADD COLUMN     "server" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "pbxServer" TEXT,
ADD COLUMN     "scheduleOpen" BOOLEAN,
ADD COLUMN     "statusRequestedBy" TEXT;

-- AlterTable
ALTER TABLE "Dialing" DROP COLUMN "pbxServerId",
ADD COLUMN     "otherUniqueid" TEXT,
ADD COLUMN     "runId" UUID NOT NULL,
ADD COLUMN     "server" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "numberStrategy" "NumberStrategy" NOT NULL DEFAULT 'BY_PRIORITY';

-- CreateTable
CREATE TABLE "CampaignRun" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedBy" TEXT NOT NULL,
    "stoppedAt" TIMESTAMP(3),
    "stoppedBy" TEXT,

    CONSTRAINT "CampaignRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignRun_campaignId_startedAt_idx" ON "CampaignRun"("campaignId", "startedAt");

-- CreateIndex
CREATE INDEX "CallAttempt_runId_outcome_idx" ON "CallAttempt"("runId", "outcome");

-- AddForeignKey
ALTER TABLE "Dialing" ADD CONSTRAINT "Dialing_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CampaignRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallAttempt" ADD CONSTRAINT "CallAttempt_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CampaignRun"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignRun" ADD CONSTRAINT "CampaignRun_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
