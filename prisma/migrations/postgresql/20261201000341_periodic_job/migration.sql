-- CreateTable
CREATE TABLE "PeriodicJob" (
    "name" TEXT NOT NULL,
    "leaseToken" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "nextRunAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PeriodicJob_pkey" PRIMARY KEY ("name")
);
