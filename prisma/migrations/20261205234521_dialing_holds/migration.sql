-- CreateEnum
CREATE TYPE "HoldReason" AS ENUM ('ENGINE_STOPPED', 'OUTSIDE_SCHEDULE', 'PBX_UNAVAILABLE', 'NO_CALL_LIMIT', 'CALL_LIMIT', 'TRUNK_FULL', 'NO_AGENTS', 'NO_FREE_SEAT', 'ABANDON_LIMIT', 'BOOSTED_TO_ZERO', 'NO_DUE_MEMBER', 'PREVIEW', 'NO_DIALER');

-- CreateTable
CREATE TABLE "DialingHold" (
    "campaignId" UUID NOT NULL,
    "dialerId" TEXT NOT NULL,
    "reason" "HoldReason" NOT NULL,
    "detail" TEXT NOT NULL,
    "nextAt" TIMESTAMPTZ(3),
    "since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DialingHold_pkey" PRIMARY KEY ("campaignId","dialerId")
);

-- AddForeignKey
ALTER TABLE "DialingHold" ADD CONSTRAINT "DialingHold_dialerId_fkey" FOREIGN KEY ("dialerId") REFERENCES "DialerProcess"("id") ON DELETE CASCADE ON UPDATE CASCADE;
