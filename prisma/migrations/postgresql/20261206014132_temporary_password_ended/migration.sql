-- AlterTable
ALTER TABLE "User" ADD COLUMN     "temporaryPasswordEndedAt" TIMESTAMP(3);
