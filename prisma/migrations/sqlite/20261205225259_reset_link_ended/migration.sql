-- AlterTable
ALTER TABLE "PasswordResetToken" ADD COLUMN "endedAt" DATETIME;
