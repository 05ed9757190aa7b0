-- AlterTable
ALTER TABLE "MfaFactor" ADD COLUMN     "suspendedAt" TIMESTAMP(3);
