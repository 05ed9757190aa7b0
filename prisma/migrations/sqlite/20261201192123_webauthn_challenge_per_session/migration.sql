-- CreateIndex
CREATE INDEX "WebAuthnChallenge_sessionId_purpose_idx" ON "WebAuthnChallenge"("sessionId", "purpose");
