-- CreateEnum
CREATE TYPE "WebAuthnPurpose" AS ENUM ('REGISTRATION', 'SIGN_IN', 'SECOND_FACTOR');

-- AlterTable
ALTER TABLE "Agency" ADD COLUMN     "requirePasskeyForAdmins" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "MfaFactor" ADD COLUMN     "backedUp" BOOLEAN,
ADD COLUMN     "credentialId" TEXT,
ADD COLUMN     "publicKey" TEXT,
ADD COLUMN     "signCount" BIGINT,
ADD COLUMN     "transports" TEXT;

-- CreateTable
CREATE TABLE "WebAuthnChallenge" (
    "id" TEXT NOT NULL,
    "challenge" TEXT NOT NULL,
    "purpose" "WebAuthnPurpose" NOT NULL,
    "sessionId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebAuthnChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebAuthnChallenge_challenge_key" ON "WebAuthnChallenge"("challenge");

-- CreateIndex
CREATE INDEX "WebAuthnChallenge_expiresAt_idx" ON "WebAuthnChallenge"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "MfaFactor_credentialId_key" ON "MfaFactor"("credentialId");
