-- CreateTable
CREATE TABLE "SentForm" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SentForm_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SentForm_createdAt_idx" ON "SentForm"("createdAt");
