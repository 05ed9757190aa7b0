-- AlterTable
ALTER TABLE "SuperAdminResetRequest" ADD COLUMN     "refiledFrom" TEXT;
