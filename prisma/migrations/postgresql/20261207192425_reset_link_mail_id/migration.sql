-- AlterTable
ALTER TABLE "PasswordResetToken" ADD COLUMN     "mailId" TEXT;
