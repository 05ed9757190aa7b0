-- AlterTable
ALTER TABLE "UnsettledAttempt" ADD COLUMN     "failureRecordedAt" TIMESTAMP(3);
