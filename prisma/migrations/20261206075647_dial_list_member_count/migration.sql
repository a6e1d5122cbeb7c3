-- CreateTable
CREATE TABLE "DialListMemberCount" (
    "id" BIGSERIAL NOT NULL,
    "dialListId" UUID NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "DialListMemberCount_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DialListMemberCount_dialListId_idx" ON "DialListMemberCount"("dialListId");

-- AddForeignKey
ALTER TABLE "DialListMemberCount" ADD CONSTRAINT "DialListMemberCount_dialListId_fkey" FOREIGN KEY ("dialListId") REFERENCES "DialList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A list's count is kept by statement: one row per INSERT, COPY or DELETE of members, however many it touched,
-- so a million-row import adds a handful of rows and no two writers wait on one counter row. A list being deleted
-- (its members going with it) counts nothing: its rows go with it.
CREATE FUNCTION "Member_counted_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DialListMemberCount" ("dialListId", delta)
    SELECT added."dialListId", count(*) FROM added GROUP BY added."dialListId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "Member_counted_added" AFTER INSERT ON "Member"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "Member_counted_added"();

CREATE FUNCTION "Member_counted_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DialListMemberCount" ("dialListId", delta)
    SELECT removed."dialListId", -count(*) FROM removed
     WHERE EXISTS (SELECT 1 FROM "DialList" d WHERE d.id = removed."dialListId")
     GROUP BY removed."dialListId";
  RETURN NULL;
END
$$;
CREATE TRIGGER "Member_counted_removed" AFTER DELETE ON "Member"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "Member_counted_removed"();

-- A member moved to another list, row by row: an UPDATE trigger with transition tables cannot name its columns, and
-- would run on every status change of every lease; this one runs only for statements that set "dialListId".
CREATE FUNCTION "Member_counted_moved"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DialListMemberCount" ("dialListId", delta) VALUES (OLD."dialListId", -1), (NEW."dialListId", 1);
  RETURN NULL;
END
$$;
CREATE TRIGGER "Member_counted_moved" AFTER UPDATE OF "dialListId" ON "Member"
  FOR EACH ROW WHEN (OLD."dialListId" IS DISTINCT FROM NEW."dialListId") EXECUTE FUNCTION "Member_counted_moved"();

-- The lists as they are now.
INSERT INTO "DialListMemberCount" ("dialListId", delta)
  SELECT m."dialListId", count(*) FROM "Member" m GROUP BY m."dialListId";
