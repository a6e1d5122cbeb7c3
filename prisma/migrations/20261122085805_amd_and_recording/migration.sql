-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "amdCause" TEXT,
ADD COLUMN     "amdStatus" TEXT,
ADD COLUMN     "recordingFile" TEXT;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "recordCalls" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "retryMachine" BOOLEAN NOT NULL DEFAULT false;
