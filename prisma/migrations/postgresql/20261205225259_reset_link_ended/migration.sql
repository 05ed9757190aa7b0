-- AlterTable
ALTER TABLE "PasswordResetToken" ADD COLUMN     "endedAt" TIMESTAMP(3);
