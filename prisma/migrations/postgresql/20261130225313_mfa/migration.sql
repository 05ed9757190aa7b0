-- CreateEnum
CREATE TYPE "MfaFactorKind" AS ENUM ('TOTP', 'PASSKEY');

-- AlterTable
ALTER TABLE "Agency" ADD COLUMN     "requireSecondFactorForAllStaff" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "AuthSession" ADD COLUMN     "secondFactorPending" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "MfaFactor" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "vendorAccountId" TEXT,
    "kind" "MfaFactorKind" NOT NULL,
    "name" TEXT NOT NULL,
    "secret" TEXT,
    "lastUsedStep" INTEGER,
    "confirmedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "MfaFactor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecoveryCode" (
    "id" TEXT NOT NULL,
    "userId" TEXT,
    "vendorAccountId" TEXT,
    "codeHash" TEXT NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecoveryCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MfaFactor_userId_idx" ON "MfaFactor"("userId");

-- CreateIndex
CREATE INDEX "MfaFactor_vendorAccountId_idx" ON "MfaFactor"("vendorAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "RecoveryCode_codeHash_key" ON "RecoveryCode"("codeHash");

-- CreateIndex
CREATE INDEX "RecoveryCode_userId_idx" ON "RecoveryCode"("userId");

-- CreateIndex
CREATE INDEX "RecoveryCode_vendorAccountId_idx" ON "RecoveryCode"("vendorAccountId");
