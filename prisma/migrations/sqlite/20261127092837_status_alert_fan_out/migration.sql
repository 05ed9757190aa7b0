-- CreateTable
CREATE TABLE "StatusAlertFanOut" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "content" TEXT NOT NULL,
    "afterSubscriberId" TEXT,
    "queuedCount" INTEGER NOT NULL DEFAULT 0,
    "leaseToken" TEXT,
    "leaseExpiresAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "StatusAlertFanOut_finishedAt_createdAt_idx" ON "StatusAlertFanOut"("finishedAt", "createdAt");
