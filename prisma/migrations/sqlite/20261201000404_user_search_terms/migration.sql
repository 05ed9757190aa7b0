-- CreateTable
CREATE TABLE "UserSearchTerm" (
    "agencyId" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("agencyId", "term", "userId"),
    CONSTRAINT "UserSearchTerm_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "UserSearchTerm_userId_idx" ON "UserSearchTerm"("userId");
