-- AlterTable
ALTER TABLE "Agency" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';
