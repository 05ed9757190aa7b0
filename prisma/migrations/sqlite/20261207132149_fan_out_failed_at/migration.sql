-- AlterTable
ALTER TABLE "StatusAlertFanOut" ADD COLUMN "failedAt" DATETIME;
