-- AlterTable (hand-edited: existing term rows take their user's nameKey before the key includes it)
ALTER TABLE "UserSearchTerm" ADD COLUMN "nameKey" TEXT NOT NULL DEFAULT '';

UPDATE "UserSearchTerm" AS t SET "nameKey" = u."nameKey" FROM "User" AS u WHERE u."id" = t."userId";

ALTER TABLE "UserSearchTerm" ALTER COLUMN "nameKey" DROP DEFAULT,
DROP CONSTRAINT "UserSearchTerm_pkey",
ADD CONSTRAINT "UserSearchTerm_pkey" PRIMARY KEY ("agencyId", "term", "nameKey", "userId");
