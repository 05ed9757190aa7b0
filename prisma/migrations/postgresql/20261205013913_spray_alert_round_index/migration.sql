-- CreateIndex
CREATE INDEX "SignInFailingAccount_lastFailedAt_agencyKey_idx" ON "SignInFailingAccount"("lastFailedAt", "agencyKey");
