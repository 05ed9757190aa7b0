-- AlterTable
ALTER TABLE "AuthSession" ADD COLUMN "browserKey" TEXT;
