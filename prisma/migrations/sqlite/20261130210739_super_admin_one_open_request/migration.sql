-- CreateTable
CREATE TABLE "SuperAdminRequestSubmission" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "accountKey" TEXT NOT NULL,
    "repeat" BOOLEAN NOT NULL,
    "providerCode" TEXT NOT NULL,
    "loginName" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "jobTitle" TEXT NOT NULL,
    "workEmail" TEXT NOT NULL,
    "workPhone" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "ip" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SuperAdminRequestSubmission_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SuperAdminResetRequest" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SuperAdminQueueAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lastAlertAt" DATETIME NOT NULL,
    "depth" INTEGER NOT NULL,
    "oldestAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SuperAdminResetRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reference" TEXT NOT NULL,
    "providerCode" TEXT NOT NULL,
    "loginName" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "jobTitle" TEXT NOT NULL,
    "workEmail" TEXT NOT NULL,
    "workPhone" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "ip" TEXT,
    "agencyId" TEXT,
    "userId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'SUBMITTED',
    "claimedById" TEXT,
    "callbackDone" BOOLEAN NOT NULL DEFAULT false,
    "callbackNotes" TEXT,
    "identityConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "noOtherAdminConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "verifiedById" TEXT,
    "verifiedAt" DATETIME,
    "approvedById" TEXT,
    "approvedAt" DATETIME,
    "stateReason" TEXT,
    "cancelTokenHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "openKey" TEXT,
    "emailAtFiling" TEXT,
    "phoneAtFiling" TEXT,
    "contactChangedAt" DATETIME,
    "repeatCount" INTEGER NOT NULL DEFAULT 0,
    "lastRepeatAt" DATETIME,
    "approvalMailId" TEXT
);
INSERT INTO "new_SuperAdminResetRequest" ("agencyId", "approvedAt", "approvedById", "callbackDone", "callbackNotes", "cancelTokenHash", "claimedById", "completedAt", "createdAt", "expiresAt", "fullName", "id", "identityConfirmed", "ip", "jobTitle", "loginName", "noOtherAdminConfirmed", "providerCode", "reason", "reference", "state", "stateReason", "updatedAt", "userId", "verifiedAt", "verifiedById", "workEmail", "workPhone") SELECT "agencyId", "approvedAt", "approvedById", "callbackDone", "callbackNotes", "cancelTokenHash", "claimedById", "completedAt", "createdAt", "expiresAt", "fullName", "id", "identityConfirmed", "ip", "jobTitle", "loginName", "noOtherAdminConfirmed", "providerCode", "reason", "reference", "state", "stateReason", "updatedAt", "userId", "verifiedAt", "verifiedById", "workEmail", "workPhone" FROM "SuperAdminResetRequest";
DROP TABLE "SuperAdminResetRequest";
ALTER TABLE "new_SuperAdminResetRequest" RENAME TO "SuperAdminResetRequest";
CREATE UNIQUE INDEX "SuperAdminResetRequest_reference_key" ON "SuperAdminResetRequest"("reference");
CREATE UNIQUE INDEX "SuperAdminResetRequest_cancelTokenHash_key" ON "SuperAdminResetRequest"("cancelTokenHash");
CREATE UNIQUE INDEX "SuperAdminResetRequest_openKey_key" ON "SuperAdminResetRequest"("openKey");
CREATE INDEX "SuperAdminResetRequest_state_createdAt_idx" ON "SuperAdminResetRequest"("state", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "SuperAdminRequestSubmission_reference_key" ON "SuperAdminRequestSubmission"("reference");

-- CreateIndex
CREATE INDEX "SuperAdminRequestSubmission_requestId_createdAt_idx" ON "SuperAdminRequestSubmission"("requestId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SuperAdminRequestSubmission_idempotencyKey_accountKey_key" ON "SuperAdminRequestSubmission"("idempotencyKey", "accountKey");

-- Requests filed before this migration: the oldest open request of each admin takes the account's
-- open slot (later ones stay open and are worked as before), and the contact details on record now
-- stand in for the snapshot at filing, which was not kept then.
UPDATE "SuperAdminResetRequest" SET "openKey" = 'user:' || "userId"
WHERE "userId" IS NOT NULL
  AND "state" IN ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED', 'APPROVED')
  AND "id" = (
    SELECT r2."id" FROM "SuperAdminResetRequest" r2
    WHERE r2."userId" = "SuperAdminResetRequest"."userId"
      AND r2."state" IN ('SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED', 'APPROVED')
    ORDER BY r2."createdAt" ASC, r2."id" ASC
    LIMIT 1
  );
UPDATE "SuperAdminResetRequest" SET
  "emailAtFiling" = (SELECT u."email" FROM "User" u WHERE u."id" = "SuperAdminResetRequest"."userId"),
  "phoneAtFiling" = (SELECT u."phone" FROM "User" u WHERE u."id" = "SuperAdminResetRequest"."userId")
WHERE "userId" IS NOT NULL;
