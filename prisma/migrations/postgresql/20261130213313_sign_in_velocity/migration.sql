-- AlterTable
ALTER TABLE "Agency" ADD COLUMN     "signInAlertThreshold" INTEGER NOT NULL DEFAULT 10;

-- CreateTable
CREATE TABLE "SignInAddressFailure" (
    "key" TEXT NOT NULL,
    "agencyKey" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "accountKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "firstFailedAt" TIMESTAMP(3) NOT NULL,
    "lastFailedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInAddressFailure_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SignInAddressCheck" (
    "key" TEXT NOT NULL,
    "lastCheckedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInAddressCheck_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SignInFailingAccount" (
    "key" TEXT NOT NULL,
    "agencyKey" TEXT NOT NULL,
    "lastFailedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInFailingAccount_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SignInSprayAlert" (
    "agencyId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "accounts" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "addresses" TEXT NOT NULL,

    CONSTRAINT "SignInSprayAlert_pkey" PRIMARY KEY ("agencyId")
);

-- CreateIndex
CREATE INDEX "SignInAddressFailure_agencyKey_ip_lastFailedAt_idx" ON "SignInAddressFailure"("agencyKey", "ip", "lastFailedAt");

-- CreateIndex
CREATE INDEX "SignInAddressFailure_agencyKey_lastFailedAt_idx" ON "SignInAddressFailure"("agencyKey", "lastFailedAt");

-- CreateIndex
CREATE INDEX "SignInFailingAccount_agencyKey_lastFailedAt_idx" ON "SignInFailingAccount"("agencyKey", "lastFailedAt");
