-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StatusSubscriber" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "emailKey" TEXT NOT NULL,
    "confirmedAt" DATETIME,
    "unsubscribedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmationSentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Rows from before this column: their confirmation went out when they were created.
INSERT INTO "new_StatusSubscriber" ("confirmedAt", "createdAt", "email", "emailKey", "id", "unsubscribedAt", "confirmationSentAt") SELECT "confirmedAt", "createdAt", "email", "emailKey", "id", "unsubscribedAt", "createdAt" FROM "StatusSubscriber";
DROP TABLE "StatusSubscriber";
ALTER TABLE "new_StatusSubscriber" RENAME TO "StatusSubscriber";
CREATE UNIQUE INDEX "StatusSubscriber_emailKey_key" ON "StatusSubscriber"("emailKey");
CREATE INDEX "StatusSubscriber_confirmedAt_unsubscribedAt_idx" ON "StatusSubscriber"("confirmedAt", "unsubscribedAt");
CREATE INDEX "StatusSubscriber_confirmedAt_confirmationSentAt_idx" ON "StatusSubscriber"("confirmedAt", "confirmationSentAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
