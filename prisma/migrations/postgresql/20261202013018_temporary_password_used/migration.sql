-- AlterTable
ALTER TABLE "User" ADD COLUMN     "temporaryPasswordUsedAt" TIMESTAMP(3);
