-- CreateIndex
CREATE INDEX "User_agencyId_role_idx" ON "User"("agencyId", "role");

-- CreateIndex
CREATE INDEX "User_agencyId_status_idx" ON "User"("agencyId", "status");

-- CreateIndex
CREATE INDEX "User_agencyId_mustChangePassword_idx" ON "User"("agencyId", "mustChangePassword");

-- CreateIndex
CREATE INDEX "User_agencyId_hardLockedAt_idx" ON "User"("agencyId", "hardLockedAt");

-- CreateIndex
CREATE INDEX "User_agencyId_lockedUntil_idx" ON "User"("agencyId", "lockedUntil");
