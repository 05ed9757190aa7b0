-- CreateTable
CREATE TABLE "UserSearchTerm" (
    "agencyId" TEXT NOT NULL,
    -- Byte order, whatever the database's locale: the search is a range [prefix, prefix || U+FFFF),
    -- which a linguistic collation would bend (it may ignore U+FFFF or punctuation).
    "term" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "UserSearchTerm_pkey" PRIMARY KEY ("agencyId","term","userId")
);

-- CreateIndex
CREATE INDEX "UserSearchTerm_userId_idx" ON "UserSearchTerm"("userId");

-- AddForeignKey
ALTER TABLE "UserSearchTerm" ADD CONSTRAINT "UserSearchTerm_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
