-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'SPECIALIST';

-- AlterTable
ALTER TABLE "unit" ADD COLUMN     "ownerCustomerId" TEXT;

-- CreateTable
CREATE TABLE "lead" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "grade" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "ownerId" TEXT,
    "referrerCustomerId" TEXT,
    "note" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "firstContactDueAt" TIMESTAMP(3) NOT NULL,
    "firstContactMissedAt" TIMESTAMP(3),
    "firstTouchAt" TIMESTAMP(3),
    "lastTouchAt" TIMESTAMP(3),
    "touchCount" INTEGER NOT NULL DEFAULT 0,
    "nextTouchDueAt" TIMESTAMP(3),
    "lapsesAt" TIMESTAMP(3),
    "pooledAt" TIMESTAMP(3),
    "lostReason" TEXT,
    "lostAt" TIMESTAMP(3),
    "reviewDecision" TEXT,
    "convertedUnitId" TEXT,
    "convertedPrice" DECIMAL(14,2),
    "convertedDeposit" DECIMAL(14,2),
    "convertedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "lastEventSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignment_cursor" (
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "assignment_cursor_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "lead_number_key" ON "lead"("number");

-- CreateIndex
CREATE UNIQUE INDEX "lead_workflowId_key" ON "lead"("workflowId");

-- CreateIndex
CREATE INDEX "lead_groupId_status_grade_idx" ON "lead"("groupId", "status", "grade");

-- CreateIndex
CREATE INDEX "lead_projectId_status_idx" ON "lead"("projectId", "status");

-- CreateIndex
CREATE INDEX "lead_ownerId_status_nextTouchDueAt_idx" ON "lead"("ownerId", "status", "nextTouchDueAt");

-- CreateIndex
CREATE INDEX "lead_createdAt_idx" ON "lead"("createdAt");

-- CreateIndex
CREATE INDEX "unit_ownerCustomerId_idx" ON "unit"("ownerCustomerId");

