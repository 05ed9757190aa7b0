-- The console lists users by latest sign-in, never-signed-in last, on both databases. PostgreSQL
-- puts NULL first in DESC, so the index keeps NULL first in ASC and is read backwards: that gives
-- "lastSignInAt" DESC NULLS LAST, id DESC. (Prisma's schema cannot say NULLS FIRST; its diff does
-- not compare NULL placement, so it keeps this index as the schema's @@index([agencyId, lastSignInAt, id]).)
DROP INDEX "User_agencyId_lastSignInAt_id_idx";

CREATE INDEX "User_agencyId_lastSignInAt_id_idx" ON "User"("agencyId", "lastSignInAt" ASC NULLS FIRST, "id");
