-- CreateEnum
CREATE TYPE "CalendarDateKind" AS ENUM ('HOLIDAY', 'EXCEPTION');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "calendarId" UUID;

-- CreateTable
CREATE TABLE "Calendar" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "detail" TEXT,
    "timezone" TEXT NOT NULL,
    "inUse" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Calendar_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarDate" (
    "id" UUID NOT NULL,
    "calendarId" UUID NOT NULL,
    "date" TEXT NOT NULL,
    "kind" "CalendarDateKind" NOT NULL,
    "name" TEXT,

    CONSTRAINT "CalendarDate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarHours" (
    "id" UUID NOT NULL,
    "calendarId" UUID NOT NULL,
    "weekday" INTEGER,
    "exceptionDateId" UUID,
    "opens" TEXT NOT NULL,
    "closes" TEXT NOT NULL,

    CONSTRAINT "CalendarHours_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Calendar_inUse_name_idx" ON "Calendar"("inUse", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarDate_calendarId_date_key" ON "CalendarDate"("calendarId", "date");

-- CreateIndex
CREATE INDEX "CalendarHours_calendarId_idx" ON "CalendarHours"("calendarId");

-- CreateIndex
CREATE INDEX "CalendarHours_exceptionDateId_idx" ON "CalendarHours"("exceptionDateId");

-- CreateIndex
CREATE INDEX "Campaign_calendarId_idx" ON "Campaign"("calendarId");

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarDate" ADD CONSTRAINT "CalendarDate_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarHours" ADD CONSTRAINT "CalendarHours_calendarId_fkey" FOREIGN KEY ("calendarId") REFERENCES "Calendar"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarHours" ADD CONSTRAINT "CalendarHours_exceptionDateId_fkey" FOREIGN KEY ("exceptionDateId") REFERENCES "CalendarDate"("id") ON DELETE CASCADE ON UPDATE CASCADE;
