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
    "temporaryPasswordUsedAt" DATETIME,
    "passwordChangedAt" DATETIME,
    "failedSignInCount" INTEGER NOT NULL DEFAULT 0,
    "firstFailedSignInAt" DATETIME,
    "lastFailedSignInAt" DATETIME,
    "lockedUntil" DATETIME,
    "hardLockedAt" DATETIME,
    "knownDeviceFailedCount" INTEGER NOT NULL DEFAULT 0,
    "knownDeviceFirstFailedAt" DATETIME,
    "knownDeviceLastFailedAt" DATETIME,
    "knownDeviceLockedUntil" DATETIME,
    "knownDeviceHardLockedAt" DATETIME,
    "sessionVersion" INTEGER NOT NULL DEFAULT 1,
    "lastSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_User" ("agencyId", "createdAt", "displayName", "email", "failedSignInCount", "firstFailedSignInAt", "hardLockedAt", "id", "lastFailedSignInAt", "lastSignInAt", "lockedUntil", "loginKey", "loginName", "mustChangePassword", "nameKey", "passwordChangedAt", "passwordHash", "phone", "role", "sessionVersion", "status", "temporaryPasswordExpiresAt", "temporaryPasswordIssuedAt", "temporaryPasswordIssuedById", "temporaryPasswordUsedAt", "updatedAt") SELECT "agencyId", "createdAt", "displayName", "email", "failedSignInCount", "firstFailedSignInAt", "hardLockedAt", "id", "lastFailedSignInAt", "lastSignInAt", "lockedUntil", "loginKey", "loginName", "mustChangePassword", "nameKey", "passwordChangedAt", "passwordHash", "phone", "role", "sessionVersion", "status", "temporaryPasswordExpiresAt", "temporaryPasswordIssuedAt", "temporaryPasswordIssuedById", "temporaryPasswordUsedAt", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE INDEX "User_agencyId_lastSignInAt_id_idx" ON "User"("agencyId", "lastSignInAt", "id");
CREATE INDEX "User_agencyId_nameKey_id_idx" ON "User"("agencyId", "nameKey", "id");
CREATE INDEX "User_agencyId_role_idx" ON "User"("agencyId", "role");
CREATE INDEX "User_agencyId_status_idx" ON "User"("agencyId", "status");
CREATE INDEX "User_agencyId_mustChangePassword_idx" ON "User"("agencyId", "mustChangePassword");
CREATE INDEX "User_agencyId_hardLockedAt_idx" ON "User"("agencyId", "hardLockedAt");
CREATE INDEX "User_agencyId_lockedUntil_idx" ON "User"("agencyId", "lockedUntil");
CREATE INDEX "User_agencyId_knownDeviceHardLockedAt_idx" ON "User"("agencyId", "knownDeviceHardLockedAt");
CREATE INDEX "User_agencyId_knownDeviceLockedUntil_idx" ON "User"("agencyId", "knownDeviceLockedUntil");
CREATE UNIQUE INDEX "User_agencyId_loginKey_key" ON "User"("agencyId", "loginKey");
CREATE TABLE "new_VendorAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "emailKey" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "passwordHash" TEXT NOT NULL,
    "failedSignInCount" INTEGER NOT NULL DEFAULT 0,
    "firstFailedSignInAt" DATETIME,
    "lastFailedSignInAt" DATETIME,
    "lockedUntil" DATETIME,
    "hardLockedAt" DATETIME,
    "knownDeviceFailedCount" INTEGER NOT NULL DEFAULT 0,
    "knownDeviceFirstFailedAt" DATETIME,
    "knownDeviceLastFailedAt" DATETIME,
    "knownDeviceLockedUntil" DATETIME,
    "knownDeviceHardLockedAt" DATETIME,
    "sessionVersion" INTEGER NOT NULL DEFAULT 1,
    "lastSignInAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_VendorAccount" ("active", "createdAt", "displayName", "email", "emailKey", "failedSignInCount", "firstFailedSignInAt", "hardLockedAt", "id", "lastFailedSignInAt", "lastSignInAt", "lockedUntil", "passwordHash", "role", "sessionVersion", "updatedAt") SELECT "active", "createdAt", "displayName", "email", "emailKey", "failedSignInCount", "firstFailedSignInAt", "hardLockedAt", "id", "lastFailedSignInAt", "lastSignInAt", "lockedUntil", "passwordHash", "role", "sessionVersion", "updatedAt" FROM "VendorAccount";
DROP TABLE "VendorAccount";
ALTER TABLE "new_VendorAccount" RENAME TO "VendorAccount";
CREATE UNIQUE INDEX "VendorAccount_emailKey_key" ON "VendorAccount"("emailKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
