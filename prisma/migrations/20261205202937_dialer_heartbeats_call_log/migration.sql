-- AlterTable
ALTER TABLE "Dialing" ADD COLUMN     "acceptedAt" TIMESTAMP(3),
ADD COLUMN     "dialplanChanges" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "DialerProcess" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DialerProcess_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Dialing_owner_idx" ON "Dialing"("owner");
