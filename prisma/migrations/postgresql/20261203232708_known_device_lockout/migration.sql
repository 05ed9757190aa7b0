-- AlterTable
ALTER TABLE "User" ADD COLUMN     "knownDeviceFailedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "knownDeviceFirstFailedAt" TIMESTAMP(3),
ADD COLUMN     "knownDeviceHardLockedAt" TIMESTAMP(3),
ADD COLUMN     "knownDeviceLastFailedAt" TIMESTAMP(3),
ADD COLUMN     "knownDeviceLockedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "VendorAccount" ADD COLUMN     "knownDeviceFailedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "knownDeviceFirstFailedAt" TIMESTAMP(3),
ADD COLUMN     "knownDeviceHardLockedAt" TIMESTAMP(3),
ADD COLUMN     "knownDeviceLastFailedAt" TIMESTAMP(3),
ADD COLUMN     "knownDeviceLockedUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "User_agencyId_knownDeviceHardLockedAt_idx" ON "User"("agencyId", "knownDeviceHardLockedAt");

-- CreateIndex
CREATE INDEX "User_agencyId_knownDeviceLockedUntil_idx" ON "User"("agencyId", "knownDeviceLockedUntil");
