-- AlterEnum
ALTER TYPE "OutboxStatus" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "statusSubscriberId" TEXT;
