-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "sipHeaders" BOOLEAN NOT NULL DEFAULT false;
