-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "failedTrunkIds" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "trunkId" UUID;

-- AlterTable
ALTER TABLE "Dialing" ADD COLUMN     "failedTrunkIds" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "trunkId" UUID;

-- CreateTable
CREATE TABLE "Trunk" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "detail" TEXT,
    "techName" TEXT NOT NULL DEFAULT 'PJSIP',
    "endpoint" TEXT,
    "dialStringTemplate" TEXT,
    "maxChannels" INTEGER,
    "callerId" TEXT,
    "originatesPerSecond" DOUBLE PRECISION,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Trunk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanTrunk" (
    "planId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "trunkId" UUID NOT NULL,
    "numberPattern" TEXT,

    CONSTRAINT "PlanTrunk_pkey" PRIMARY KEY ("planId","position")
);

-- CreateIndex
CREATE INDEX "Trunk_inUse_name_idx" ON "Trunk"("inUse", "name");

-- CreateIndex
CREATE INDEX "PlanTrunk_trunkId_idx" ON "PlanTrunk"("trunkId");

-- AddForeignKey
ALTER TABLE "PlanTrunk" ADD CONSTRAINT "PlanTrunk_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanTrunk" ADD CONSTRAINT "PlanTrunk_trunkId_fkey" FOREIGN KEY ("trunkId") REFERENCES "Trunk"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
