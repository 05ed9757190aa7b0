-- AlterTable
ALTER TABLE "SentForm" ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "underWayUntil" TIMESTAMP(3);
