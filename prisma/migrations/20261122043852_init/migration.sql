-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'SUPERVISOR', 'VIEWER');

-- CreateEnum
CREATE TYPE "DialMode" AS ENUM ('NONE', 'PREDICTIVE', 'PROGRESSIVE', 'PREVIEW');

-- CreateEnum
CREATE TYPE "DialListEndAction" AS ENUM ('KEEP_RUNNING', 'STOP_CAMPAIGN');

-- CreateEnum
CREATE TYPE "DestinationType" AS ENUM ('EXTENSION', 'APPLICATION');

-- CreateEnum
CREATE TYPE "MemberStatus" AS ENUM ('IDLE', 'DIALING', 'RESERVED', 'DONE', 'TERMINATED');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('STOPPED', 'STARTING', 'RUNNING', 'PAUSING', 'PAUSED', 'STOPPING', 'FORCE_STOPPING');

-- CreateEnum
CREATE TYPE "ScheduleMode" AS ENUM ('MANUAL', 'SCHEDULED');

-- CreateEnum
CREATE TYPE "DialingStatus" AS ENUM ('PENDING', 'ORIGINATING', 'RINGING', 'ANSWERED', 'BRIDGED', 'HANGUP');

-- CreateEnum
CREATE TYPE "CallOutcome" AS ENUM ('ANSWERED', 'BUSY', 'NO_ANSWER', 'CONGESTION', 'UNALLOCATED', 'FAILED', 'MACHINE', 'ABANDONED', 'CANCELLED');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PbxServer" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 5038,
    "username" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "originatesPerSecond" INTEGER NOT NULL DEFAULT 20,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "PbxServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "detail" TEXT,
    "dialMode" "DialMode" NOT NULL DEFAULT 'PROGRESSIVE',
    "techName" TEXT NOT NULL DEFAULT 'PJSIP',
    "trunkName" TEXT,
    "dialStringTemplate" TEXT,
    "dialTimeoutMs" INTEGER NOT NULL DEFAULT 30000,
    "retryDelaySec" INTEGER NOT NULL DEFAULT 60,
    "maxRetries" INTEGER[] DEFAULT ARRAY[5, 5, 5, 5, 5, 5, 5, 5]::INTEGER[],
    "callerId" TEXT,
    "serviceLevel" INTEGER NOT NULL DEFAULT 0,
    "earlyMedia" BOOLEAN NOT NULL DEFAULT false,
    "codecs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "variables" JSONB NOT NULL DEFAULT '{}',
    "dialListEndAction" "DialListEndAction" NOT NULL DEFAULT 'STOP_CAMPAIGN',
    "maxConcurrentCalls" INTEGER,
    "targetAbandonRate" DOUBLE PRECISION NOT NULL DEFAULT 2.5,
    "maxAbandonRate" DOUBLE PRECISION NOT NULL DEFAULT 3,
    "warmUpAttempts" INTEGER NOT NULL DEFAULT 150,
    "amdEnabled" BOOLEAN NOT NULL DEFAULT false,
    "amdInitialSilenceMs" INTEGER NOT NULL DEFAULT 2500,
    "amdGreetingMs" INTEGER NOT NULL DEFAULT 1500,
    "amdAfterGreetingSilenceMs" INTEGER NOT NULL DEFAULT 800,
    "amdTotalAnalysisTimeMs" INTEGER NOT NULL DEFAULT 5000,
    "amdMinWordLengthMs" INTEGER NOT NULL DEFAULT 100,
    "amdBetweenWordsSilenceMs" INTEGER NOT NULL DEFAULT 50,
    "amdMaximumNumberOfWords" INTEGER NOT NULL DEFAULT 3,
    "amdSilenceThreshold" INTEGER NOT NULL DEFAULT 256,
    "amdMaximumWordLengthMs" INTEGER NOT NULL DEFAULT 5000,
    "amdAllowNotSure" BOOLEAN NOT NULL DEFAULT true,
    "wrapUpSec" INTEGER NOT NULL DEFAULT 0,
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Destination" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "detail" TEXT,
    "type" "DestinationType" NOT NULL,
    "context" TEXT,
    "exten" TEXT,
    "priority" TEXT,
    "application" TEXT,
    "data" TEXT,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Destination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DialList" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "detail" TEXT,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "DialList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL,
    "dialListId" UUID NOT NULL,
    "name" TEXT,
    "detail" TEXT,
    "externalKey" TEXT,
    "email" TEXT,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3),
    "timezone" TEXT,
    "status" "MemberStatus" NOT NULL DEFAULT 'IDLE',
    "nextAttemptAt" TIMESTAMP(3),
    "agent" TEXT,
    "lastDialAt" TIMESTAMP(3),
    "lastHangupAt" TIMESTAMP(3),
    "lastDialResult" INTEGER,
    "lastDialResultText" TEXT,
    "lastHangupCause" INTEGER,
    "lastHangupCauseText" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberNumber" (
    "memberId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "dialListId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "type" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "tryCount" INTEGER NOT NULL DEFAULT 0,
    "lastDialAt" TIMESTAMP(3),
    "lastHangupAt" TIMESTAMP(3),
    "lastDialResult" INTEGER,
    "lastHangupCause" INTEGER,

    CONSTRAINT "MemberNumber_pkey" PRIMARY KEY ("memberId","slot")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "detail" TEXT,
    "status" "CampaignStatus" NOT NULL DEFAULT 'STOPPED',
    "planId" UUID NOT NULL,
    "destinationId" UUID NOT NULL,
    "dialListId" UUID NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "nextCampaignId" UUID,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "scheduleMode" "ScheduleMode" NOT NULL DEFAULT 'MANUAL',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "dailyStartTime" TEXT,
    "dailyEndTime" TEXT,
    "startDate" TEXT,
    "endDate" TEXT,
    "weekdays" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "dates" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "exceptDates" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dialing" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "numberSlot" INTEGER NOT NULL,
    "dialedNumber" TEXT NOT NULL,
    "tryCount" INTEGER NOT NULL,
    "pbxServerId" UUID,
    "status" "DialingStatus" NOT NULL DEFAULT 'PENDING',
    "dialString" TEXT NOT NULL,
    "channel" TEXT,
    "uniqueid" TEXT,
    "owner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "planSnapshot" JSONB NOT NULL,
    "destinationSnapshot" JSONB NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "originatedAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "bridgedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dialing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallAttempt" (
    "id" UUID NOT NULL,
    "campaignId" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "destinationId" UUID NOT NULL,
    "dialListId" UUID NOT NULL,
    "memberId" UUID,
    "pbxServerId" UUID,
    "numberSlot" INTEGER NOT NULL,
    "dialedNumber" TEXT NOT NULL,
    "tryCount" INTEGER NOT NULL,
    "dialString" TEXT NOT NULL,
    "channel" TEXT,
    "uniqueid" TEXT,
    "linkedid" TEXT,
    "outcome" "CallOutcome" NOT NULL,
    "dialResult" INTEGER NOT NULL,
    "dialResultText" TEXT NOT NULL,
    "hangupCause" INTEGER,
    "hangupCauseText" TEXT,
    "originatedAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "bridgedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3) NOT NULL,
    "planSnapshot" JSONB NOT NULL,
    "destinationSnapshot" JSONB NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PbxServer_inUse_name_idx" ON "PbxServer"("inUse", "name");

-- CreateIndex
CREATE INDEX "Plan_inUse_name_idx" ON "Plan"("inUse", "name");

-- CreateIndex
CREATE INDEX "Destination_inUse_name_idx" ON "Destination"("inUse", "name");

-- CreateIndex
CREATE INDEX "DialList_inUse_name_idx" ON "DialList"("inUse", "name");

-- CreateIndex
CREATE INDEX "Member_dialListId_status_priority_idx" ON "Member"("dialListId", "status", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "Member_dialListId_externalKey_key" ON "Member"("dialListId", "externalKey");

-- CreateIndex
CREATE INDEX "MemberNumber_dialListId_number_idx" ON "MemberNumber"("dialListId", "number");

-- CreateIndex
CREATE INDEX "Campaign_inUse_status_idx" ON "Campaign"("inUse", "status");

-- CreateIndex
CREATE INDEX "Campaign_planId_idx" ON "Campaign"("planId");

-- CreateIndex
CREATE INDEX "Campaign_destinationId_idx" ON "Campaign"("destinationId");

-- CreateIndex
CREATE INDEX "Campaign_dialListId_idx" ON "Campaign"("dialListId");

-- CreateIndex
CREATE INDEX "Dialing_campaignId_idx" ON "Dialing"("campaignId");

-- CreateIndex
CREATE INDEX "Dialing_memberId_idx" ON "Dialing"("memberId");

-- CreateIndex
CREATE INDEX "CallAttempt_campaignId_createdAt_idx" ON "CallAttempt"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "CallAttempt_memberId_idx" ON "CallAttempt"("memberId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_dialListId_fkey" FOREIGN KEY ("dialListId") REFERENCES "DialList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberNumber" ADD CONSTRAINT "MemberNumber_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "Destination"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_dialListId_fkey" FOREIGN KEY ("dialListId") REFERENCES "DialList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_nextCampaignId_fkey" FOREIGN KEY ("nextCampaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dialing" ADD CONSTRAINT "Dialing_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dialing" ADD CONSTRAINT "Dialing_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dialing" ADD CONSTRAINT "Dialing_pbxServerId_fkey" FOREIGN KEY ("pbxServerId") REFERENCES "PbxServer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallAttempt" ADD CONSTRAINT "CallAttempt_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallAttempt" ADD CONSTRAINT "CallAttempt_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;
