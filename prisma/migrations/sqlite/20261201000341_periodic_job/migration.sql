-- CreateTable
CREATE TABLE "PeriodicJob" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "leaseToken" TEXT,
    "leaseUntil" DATETIME,
    "nextRunAt" DATETIME NOT NULL
);
