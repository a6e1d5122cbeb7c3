-- AlterEnum
ALTER TYPE "DialingStatus" ADD VALUE 'RESERVED';

-- AlterTable
ALTER TABLE "Dialing" ADD COLUMN     "agent" TEXT;
