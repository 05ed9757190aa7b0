-- DropIndex
DROP INDEX "User_agencyId_nameKey_idx";

-- DropIndex
DROP INDEX "User_agencyId_lastSignInAt_idx";

-- CreateIndex
CREATE INDEX "User_agencyId_lastSignInAt_id_idx" ON "User"("agencyId", "lastSignInAt", "id");

-- CreateIndex
CREATE INDEX "User_agencyId_nameKey_id_idx" ON "User"("agencyId", "nameKey", "id");
