-- AlterTable
ALTER TABLE "MfaFactor" ADD COLUMN "suspendedAt" DATETIME;
