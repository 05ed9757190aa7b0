-- AlterTable
ALTER TABLE "User" ADD COLUMN "temporaryPasswordEndedAt" DATETIME;
