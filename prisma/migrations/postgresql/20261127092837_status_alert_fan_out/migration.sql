-- CreateTable
CREATE TABLE "StatusAlertFanOut" (
    "id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "afterSubscriberId" TEXT,
    "queuedCount" INTEGER NOT NULL DEFAULT 0,
    "leaseToken" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusAlertFanOut_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StatusAlertFanOut_finishedAt_createdAt_idx" ON "StatusAlertFanOut"("finishedAt", "createdAt");
