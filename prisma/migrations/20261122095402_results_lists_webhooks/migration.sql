-- CreateEnum
CREATE TYPE "CampaignListRole" AS ENUM ('CALLS', 'BLACKLIST');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED');

-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "completionCode" TEXT,
ADD COLUMN     "outputs" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "rescheduleRuleId" UUID,
ADD COLUMN     "rescheduleSec" INTEGER;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "boostPercent" INTEGER NOT NULL DEFAULT 100;

-- AlterTable
ALTER TABLE "DialList" ADD COLUMN     "blacklistForAll" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Dialing" ADD COLUMN     "completionCode" TEXT,
ADD COLUMN     "outputs" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "blacklistCancelReason" TEXT,
ADD COLUMN     "blacklistCancelledAt" TIMESTAMP(3),
ADD COLUMN     "resultDescription" TEXT,
ADD COLUMN     "resultDueAt" TIMESTAMP(3),
ADD COLUMN     "scheduledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "MemberNumber" ADD COLUMN     "stopped" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "minTalkSec" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "retryAbandoned" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "waitForResult" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "waitForResultSec" INTEGER NOT NULL DEFAULT 300;

-- CreateTable
CREATE TABLE "CampaignList" (
    "campaignId" UUID NOT NULL,
    "dialListId" UUID NOT NULL,
    "role" "CampaignListRole" NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignList_pkey" PRIMARY KEY ("campaignId","dialListId")
);

-- CreateTable
CREATE TABLE "RescheduleRule" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "outcome" "CallOutcome",
    "completionCode" TEXT,
    "maxAttempts" INTEGER NOT NULL,
    "retryAfterSec" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RescheduleRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disposition" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "memberId" UUID,
    "attemptId" UUID,
    "level1" TEXT NOT NULL,
    "level2" TEXT,
    "level3" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "comment" TEXT,
    "scheduledAt" TIMESTAMP(3),
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Disposition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "attemptId" UUID NOT NULL,
    "memberId" UUID,
    "sequence" BIGSERIAL NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "nextTryAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DialerEngine" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "running" BOOLEAN NOT NULL DEFAULT true,
    "changedBy" TEXT,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DialerEngine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignList_dialListId_idx" ON "CampaignList"("dialListId");

-- CreateIndex
CREATE INDEX "RescheduleRule_campaignId_position_idx" ON "RescheduleRule"("campaignId", "position");

-- CreateIndex
CREATE INDEX "Disposition_campaignId_createdAt_idx" ON "Disposition"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Disposition_memberId_idx" ON "Disposition"("memberId");

-- CreateIndex
CREATE INDEX "Disposition_attemptId_idx" ON "Disposition"("attemptId");

-- CreateIndex
CREATE INDEX "Webhook_campaignId_idx" ON "Webhook"("campaignId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextTryAt_idx" ON "WebhookDelivery"("status", "nextTryAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_memberId_sequence_idx" ON "WebhookDelivery"("webhookId", "memberId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_attemptId_key" ON "WebhookDelivery"("webhookId", "attemptId");

-- AddForeignKey
ALTER TABLE "CampaignList" ADD CONSTRAINT "CampaignList_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignList" ADD CONSTRAINT "CampaignList_dialListId_fkey" FOREIGN KEY ("dialListId") REFERENCES "DialList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RescheduleRule" ADD CONSTRAINT "RescheduleRule_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "CallAttempt"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "CallAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
