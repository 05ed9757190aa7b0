-- AlterTable
ALTER TABLE "SuperAdminResetRequest" ADD COLUMN     "approvalMailId" TEXT,
ADD COLUMN     "contactChangedAt" TIMESTAMP(3),
ADD COLUMN     "emailAtFiling" TEXT,
ADD COLUMN     "lastRepeatAt" TIMESTAMP(3),
ADD COLUMN     "openKey" TEXT,
ADD COLUMN     "phoneAtFiling" TEXT,
ADD COLUMN     "repeatCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SuperAdminRequestSubmission" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuperAdminRequestSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuperAdminQueueAlert" (
    "id" TEXT NOT NULL,
    "lastAlertAt" TIMESTAMP(3) NOT NULL,
    "depth" INTEGER NOT NULL,
    "oldestAt" TIMESTAMP(3),

    CONSTRAINT "SuperAdminQueueAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SuperAdminRequestSubmission_reference_key" ON "SuperAdminRequestSubmission"("reference");

-- CreateIndex
CREATE INDEX "SuperAdminRequestSubmission_requestId_createdAt_idx" ON "SuperAdminRequestSubmission"("requestId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SuperAdminRequestSubmission_idempotencyKey_accountKey_key" ON "SuperAdminRequestSubmission"("idempotencyKey", "accountKey");

-- CreateIndex
CREATE UNIQUE INDEX "SuperAdminResetRequest_openKey_key" ON "SuperAdminResetRequest"("openKey");

-- AddForeignKey
ALTER TABLE "SuperAdminRequestSubmission" ADD CONSTRAINT "SuperAdminRequestSubmission_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "SuperAdminResetRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

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
