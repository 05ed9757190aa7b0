-- CreateTable
CREATE TABLE "MfaFactor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "vendorAccountId" TEXT,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret" TEXT,
    "lastUsedStep" INTEGER,
    "confirmedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME
);

-- CreateTable
CREATE TABLE "RecoveryCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "vendorAccountId" TEXT,
    "codeHash" TEXT NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
    "signInAlertThreshold" INTEGER NOT NULL DEFAULT 10,
    "requireSecondFactorForAllStaff" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_Agency" ("code", "codeKey", "createdAt", "hardLockThreshold", "id", "minPasswordLength", "name", "onlySuperAdminsResetAdmins", "passwordHistoryCount", "phoneOnRecord", "resetLinkHours", "signInAlertThreshold", "softLockThreshold", "temporaryPasswordHours") SELECT "code", "codeKey", "createdAt", "hardLockThreshold", "id", "minPasswordLength", "name", "onlySuperAdminsResetAdmins", "passwordHistoryCount", "phoneOnRecord", "resetLinkHours", "signInAlertThreshold", "softLockThreshold", "temporaryPasswordHours" FROM "Agency";
DROP TABLE "Agency";
ALTER TABLE "new_Agency" RENAME TO "Agency";
CREATE UNIQUE INDEX "Agency_codeKey_key" ON "Agency"("codeKey");
CREATE TABLE "new_AuthSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "vendorAccountId" TEXT,
    "sessionVersion" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "ip" TEXT,
    "secondFactorPending" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_AuthSession" ("createdAt", "endedAt", "id", "ip", "lastSeenAt", "sessionVersion", "userId", "vendorAccountId") SELECT "createdAt", "endedAt", "id", "ip", "lastSeenAt", "sessionVersion", "userId", "vendorAccountId" FROM "AuthSession";
DROP TABLE "AuthSession";
ALTER TABLE "new_AuthSession" RENAME TO "AuthSession";
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");
CREATE INDEX "AuthSession_vendorAccountId_idx" ON "AuthSession"("vendorAccountId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
