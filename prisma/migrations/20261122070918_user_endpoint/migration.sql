-- AlterTable
ALTER TABLE "User" ADD COLUMN     "endpoint" TEXT;
