-- AlterTable
ALTER TABLE "UnsettledAttempt" ADD COLUMN "failureRecordedAt" DATETIME;
