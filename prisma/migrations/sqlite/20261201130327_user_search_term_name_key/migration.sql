-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UserSearchTerm" (
    "agencyId" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("agencyId", "term", "nameKey", "userId"),
    CONSTRAINT "UserSearchTerm_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Each term row takes its user's nameKey (hand-edited: the generated copy had none to give).
INSERT INTO "new_UserSearchTerm" ("agencyId", "term", "nameKey", "userId")
SELECT t."agencyId", t."term", u."nameKey", t."userId" FROM "UserSearchTerm" AS t JOIN "User" AS u ON u."id" = t."userId";
DROP TABLE "UserSearchTerm";
ALTER TABLE "new_UserSearchTerm" RENAME TO "UserSearchTerm";
CREATE INDEX "UserSearchTerm_userId_idx" ON "UserSearchTerm"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
