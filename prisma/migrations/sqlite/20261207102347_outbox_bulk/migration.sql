-- AlterTable (a column added in place: the outbox is not copied)
ALTER TABLE "OutboxMessage" ADD COLUMN "bulk" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "OutboxMessage_status_bulk_nextAttemptAt_idx" ON "OutboxMessage"("status", "bulk", "nextAttemptAt");
