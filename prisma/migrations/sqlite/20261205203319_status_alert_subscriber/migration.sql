-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "statusSubscriberId" TEXT;
