-- AlterTable
ALTER TABLE "AuthSession" ADD COLUMN     "codeStepOpened" TEXT;
