-- AlterTable
ALTER TABLE "StatusAlertFanOut" ADD COLUMN     "failedAt" TIMESTAMP(3);
