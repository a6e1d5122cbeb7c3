-- AlterTable
ALTER TABLE "DialList" ADD COLUMN     "country" TEXT;

-- AlterTable: numbers saved before had no list country; those written internationally (+...) already are
-- E.164 once their separators are gone, and the rest stay as they were.
ALTER TABLE "MemberNumber" ADD COLUMN     "normalized" TEXT;
UPDATE "MemberNumber" SET "normalized" = "number";

-- A writer that knows no country (a fixture, a direct SQL insert) compares the number as it is dialed.
CREATE FUNCTION "MemberNumber_normalized_default"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."normalized" := coalesce(NEW."normalized", NEW."number");
  RETURN NEW;
END
$$;
-- Only where it is missing: the condition is checked without calling the function, so writers that give it pay nothing.
CREATE TRIGGER "MemberNumber_normalized_default" BEFORE INSERT OR UPDATE ON "MemberNumber"
  FOR EACH ROW WHEN (NEW."normalized" IS NULL) EXECUTE FUNCTION "MemberNumber_normalized_default"();

-- CreateIndex
CREATE INDEX "MemberNumber_dialListId_normalized_idx" ON "MemberNumber"("dialListId", "normalized");
