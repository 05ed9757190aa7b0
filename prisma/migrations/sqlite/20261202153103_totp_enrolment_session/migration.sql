-- AlterTable
ALTER TABLE "MfaFactor" ADD COLUMN "enrolmentSessionId" TEXT;
