-- CreateTable
CREATE TABLE "UnsettledAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reservedAt" DATETIME NOT NULL,
    "pathway" TEXT NOT NULL,
    "failure" TEXT NOT NULL,
    "reservation" TEXT,
    "setsLockOf" TEXT
);

-- CreateIndex
CREATE INDEX "UnsettledAttempt_reservedAt_idx" ON "UnsettledAttempt"("reservedAt");

-- CreateIndex
CREATE INDEX "UnsettledAttempt_setsLockOf_idx" ON "UnsettledAttempt"("setsLockOf");
