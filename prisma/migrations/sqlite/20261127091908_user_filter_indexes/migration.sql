-- CreateIndex
CREATE INDEX "User_agencyId_role_lastSignInAt_id_idx" ON "User"("agencyId", "role", "lastSignInAt", "id");

-- CreateIndex
CREATE INDEX "User_agencyId_status_lastSignInAt_id_idx" ON "User"("agencyId", "status", "lastSignInAt", "id");

-- CreateIndex
CREATE INDEX "User_agencyId_mustChangePassword_lastSignInAt_id_idx" ON "User"("agencyId", "mustChangePassword", "lastSignInAt", "id");
