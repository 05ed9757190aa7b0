-- AlterTable
ALTER TABLE "SentForm" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "SentForm" ADD COLUMN "underWayUntil" DATETIME;
