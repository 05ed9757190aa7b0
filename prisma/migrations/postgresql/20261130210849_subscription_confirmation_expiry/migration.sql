-- AlterTable
ALTER TABLE "StatusSubscriber" ADD COLUMN     "confirmationSentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Rows from before this column: their confirmation went out when they were created.
UPDATE "StatusSubscriber" SET "confirmationSentAt" = "createdAt";

-- CreateIndex
CREATE INDEX "StatusSubscriber_confirmedAt_confirmationSentAt_idx" ON "StatusSubscriber"("confirmedAt", "confirmationSentAt");
