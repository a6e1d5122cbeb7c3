-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorKind" TEXT,
    "actorId" UUID,
    "actorName" TEXT NOT NULL,
    "actorRole" "Role",
    "clientAddress" TEXT NOT NULL,
    "mutation" TEXT NOT NULL,
    "arguments" JSONB NOT NULL,
    "result" TEXT NOT NULL,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_actorName_at_idx" ON "AuditEntry"("actorName", "at");
