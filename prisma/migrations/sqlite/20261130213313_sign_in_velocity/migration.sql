-- CreateTable
CREATE TABLE "SignInAddressFailure" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "agencyKey" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "accountKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "firstFailedAt" DATETIME NOT NULL,
    "lastFailedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SignInAddressCheck" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "lastCheckedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SignInFailingAccount" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "agencyKey" TEXT NOT NULL,
    "lastFailedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SignInSprayAlert" (
    "agencyId" TEXT NOT NULL PRIMARY KEY,
    "sentAt" DATETIME NOT NULL,
    "since" DATETIME NOT NULL,
    "accounts" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "addresses" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Agency" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "codeKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phoneOnRecord" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "minPasswordLength" INTEGER NOT NULL DEFAULT 15,
    "passwordHistoryCount" INTEGER NOT NULL DEFAULT 5,
    "softLockThreshold" INTEGER NOT NULL DEFAULT 5,
    "hardLockThreshold" INTEGER NOT NULL DEFAULT 20,
    "temporaryPasswordHours" INTEGER NOT NULL DEFAULT 72,
    "resetLinkHours" INTEGER NOT NULL DEFAULT 24,
    "onlySuperAdminsResetAdmins" BOOLEAN NOT NULL DEFAULT false,
    "signInAlertThreshold" INTEGER NOT NULL DEFAULT 10
);
INSERT INTO "new_Agency" ("code", "codeKey", "createdAt", "hardLockThreshold", "id", "minPasswordLength", "name", "onlySuperAdminsResetAdmins", "passwordHistoryCount", "phoneOnRecord", "resetLinkHours", "softLockThreshold", "temporaryPasswordHours") SELECT "code", "codeKey", "createdAt", "hardLockThreshold", "id", "minPasswordLength", "name", "onlySuperAdminsResetAdmins", "passwordHistoryCount", "phoneOnRecord", "resetLinkHours", "softLockThreshold", "temporaryPasswordHours" FROM "Agency";
DROP TABLE "Agency";
ALTER TABLE "new_Agency" RENAME TO "Agency";
CREATE UNIQUE INDEX "Agency_codeKey_key" ON "Agency"("codeKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SignInAddressFailure_agencyKey_ip_lastFailedAt_idx" ON "SignInAddressFailure"("agencyKey", "ip", "lastFailedAt");

-- CreateIndex
CREATE INDEX "SignInAddressFailure_agencyKey_lastFailedAt_idx" ON "SignInAddressFailure"("agencyKey", "lastFailedAt");

-- CreateIndex
CREATE INDEX "SignInFailingAccount_agencyKey_lastFailedAt_idx" ON "SignInFailingAccount"("agencyKey", "lastFailedAt");
