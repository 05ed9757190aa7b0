-- CreateTable
CREATE TABLE "UnsettledAttempt" (
    "id" TEXT NOT NULL,
    "reservedAt" TIMESTAMP(3) NOT NULL,
    "pathway" TEXT NOT NULL,
    "failure" TEXT NOT NULL,
    "reservation" TEXT,
    "setsLockOf" TEXT,

    CONSTRAINT "UnsettledAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UnsettledAttempt_reservedAt_idx" ON "UnsettledAttempt"("reservedAt");

-- CreateIndex
CREATE INDEX "UnsettledAttempt_setsLockOf_idx" ON "UnsettledAttempt"("setsLockOf");
