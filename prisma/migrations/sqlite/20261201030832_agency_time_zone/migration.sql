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
    "requireSecondFactorForAllStaff" BOOLEAN NOT NULL DEFAULT false,
    "requirePasskeyForAdmins" BOOLEAN NOT NULL DEFAULT false,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC'
);
INSERT INTO "new_Agency" ("code", "codeKey", "createdAt", "hardLockThreshold", "id", "minPasswordLength", "name", "onlySuperAdminsResetAdmins", "passwordHistoryCount", "phoneOnRecord", "requirePasskeyForAdmins", "requireSecondFactorForAllStaff", "resetLinkHours", "signInAlertThreshold", "softLockThreshold", "temporaryPasswordHours") SELECT "code", "codeKey", "createdAt", "hardLockThreshold", "id", "minPasswordLength", "name", "onlySuperAdminsResetAdmins", "passwordHistoryCount", "phoneOnRecord", "requirePasskeyForAdmins", "requireSecondFactorForAllStaff", "resetLinkHours", "signInAlertThreshold", "softLockThreshold", "temporaryPasswordHours" FROM "Agency";
DROP TABLE "Agency";
ALTER TABLE "new_Agency" RENAME TO "Agency";
CREATE UNIQUE INDEX "Agency_codeKey_key" ON "Agency"("codeKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
