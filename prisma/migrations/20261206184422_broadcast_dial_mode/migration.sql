-- AlterEnum
ALTER TYPE "DialMode" ADD VALUE 'BROADCAST';

-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "messageLeft" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "machineMessage" TEXT;
