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
