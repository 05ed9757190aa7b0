-- AlterTable
ALTER TABLE "User" ADD COLUMN     "nameKey" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "User_agencyId_nameKey_idx" ON "User"("agencyId", "nameKey");

-- Backfill: SQL lower() is the closest the database offers to the app's NFKC case-fold (normalizeKey);
-- names written from now on get the exact key from the app.
UPDATE "User" SET "nameKey" = lower("displayName");
