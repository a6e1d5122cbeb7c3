-- CreateTable
CREATE TABLE "PlanNumberType" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "maxTries" INTEGER NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PlanNumberType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanNumberTypeWindow" (
    "id" UUID NOT NULL,
    "numberTypeId" UUID NOT NULL,
    "weekdays" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL,

    CONSTRAINT "PlanNumberTypeWindow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PlanNumberType_planId_code_key" ON "PlanNumberType"("planId", "code");

-- CreateIndex
CREATE INDEX "PlanNumberTypeWindow_numberTypeId_idx" ON "PlanNumberTypeWindow"("numberTypeId");

-- AddForeignKey
ALTER TABLE "PlanNumberType" ADD CONSTRAINT "PlanNumberType_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanNumberTypeWindow" ADD CONSTRAINT "PlanNumberTypeWindow_numberTypeId_fkey" FOREIGN KEY ("numberTypeId") REFERENCES "PlanNumberType"("id") ON DELETE CASCADE ON UPDATE CASCADE;
