-- AlterTable
ALTER TABLE "SentForm" ADD COLUMN     "movedFromVersion" INTEGER,
ADD COLUMN     "movedSessionId" TEXT,
ADD COLUMN     "movedToVersion" INTEGER;
