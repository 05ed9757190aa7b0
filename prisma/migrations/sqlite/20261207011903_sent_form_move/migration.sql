-- AlterTable
ALTER TABLE "SentForm" ADD COLUMN "movedFromVersion" INTEGER;
ALTER TABLE "SentForm" ADD COLUMN "movedSessionId" TEXT;
ALTER TABLE "SentForm" ADD COLUMN "movedToVersion" INTEGER;
