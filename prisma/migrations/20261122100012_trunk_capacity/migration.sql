-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "trunkMaxChannels" INTEGER;
