-- AlterTable
ALTER TABLE "User" ADD COLUMN "temporaryPasswordUsedAt" DATETIME;
