-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agencyId" TEXT NOT NULL,
    "loginName" TEXT NOT NULL,
    "loginKey" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "phone" TEXT,
    "role" TEXT NOT NULL DEFAULT 'STAFF',
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "passwordHash" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "temporaryPasswordIssuedAt" DATETIME,
    "temporaryPasswordIssuedById" TEXT,
    "temporaryPasswordExpiresAt" DATETIME,
    "passwordChangedAt" DATETIME,
    "failedSignInCount" INTEGER NOT NULL DEFAULT 0,
    "firstFailedSignInAt" DATETIME,
    "lastFailedSignInAt" DATETIME,
    "lockedUntil" DATETIME,
    "hardLockedAt" DATETIME,
    "sessionVersion" INTEGER NOT NULL DEFAULT 1,
    "lastSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_User" ("agencyId", "createdAt", "displayName", "email", "failedSignInCount", "firstFailedSignInAt", "hardLockedAt", "id", "lastFailedSignInAt", "lastSignInAt", "lockedUntil", "loginKey", "loginName", "mustChangePassword", "passwordChangedAt", "passwordHash", "phone", "role", "sessionVersion", "status", "temporaryPasswordExpiresAt", "temporaryPasswordIssuedAt", "temporaryPasswordIssuedById", "updatedAt") SELECT "agencyId", "createdAt", "displayName", "email", "failedSignInCount", "firstFailedSignInAt", "hardLockedAt", "id", "lastFailedSignInAt", "lastSignInAt", "lockedUntil", "loginKey", "loginName", "mustChangePassword", "passwordChangedAt", "passwordHash", "phone", "role", "sessionVersion", "status", "temporaryPasswordExpiresAt", "temporaryPasswordIssuedAt", "temporaryPasswordIssuedById", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE INDEX "User_agencyId_lastSignInAt_idx" ON "User"("agencyId", "lastSignInAt");
CREATE INDEX "User_agencyId_nameKey_idx" ON "User"("agencyId", "nameKey");
CREATE UNIQUE INDEX "User_agencyId_loginKey_key" ON "User"("agencyId", "loginKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Backfill: SQL lower() is the closest the database offers to the app's NFKC case-fold (normalizeKey);
-- names written from now on get the exact key from the app.
UPDATE "User" SET "nameKey" = lower("displayName");
