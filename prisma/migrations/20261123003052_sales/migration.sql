-- AlterTable
ALTER TABLE "unit" ADD COLUMN     "reservedBySaleId" TEXT;

-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "membershipTier" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "purchaseCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "referralCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "case_record" ADD COLUMN     "saleId" TEXT,
ADD COLUMN     "sourceKey" TEXT;

-- CreateTable
CREATE TABLE "sale" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "leadId" TEXT,
    "referrerCustomerId" TEXT,
    "stage" TEXT NOT NULL,
    "paymentMethod" TEXT NOT NULL,
    "price" DECIMAL(14,2) NOT NULL,
    "deposit" DECIMAL(14,2) NOT NULL,
    "paidTotal" DECIMAL(14,2) NOT NULL,
    "contractArea" DECIMAL(10,2) NOT NULL,
    "buyerName" TEXT,
    "contractNo" TEXT,
    "contractSignedAt" TIMESTAMP(3),
    "filingNo" TEXT,
    "filedAt" TIMESTAMP(3),
    "mortgageStatus" TEXT,
    "mortgageBank" TEXT,
    "mortgageAmount" DECIMAL(14,2),
    "mortgageDocumentsAt" TIMESTAMP(3),
    "mortgageDecidedAt" TIMESTAMP(3),
    "mortgageDisbursedAt" TIMESTAMP(3),
    "nextDeadline" TEXT,
    "nextDueAt" TIMESTAMP(3),
    "deadlines" JSONB NOT NULL,
    "payments" JSONB NOT NULL,
    "approvals" JSONB NOT NULL,
    "pendingApproval" TEXT,
    "deliveryDate" TIMESTAMP(3) NOT NULL,
    "inspectionAt" TIMESTAMP(3) NOT NULL,
    "inspectedAt" TIMESTAMP(3),
    "inspectionDefects" INTEGER NOT NULL DEFAULT 0,
    "handedOverAt" TIMESTAMP(3),
    "keysIssued" INTEGER,
    "measuredArea" DECIMAL(10,2),
    "areaSettlement" DECIMAL(14,2),
    "handoverDefects" INTEGER NOT NULL DEFAULT 0,
    "lapseReason" TEXT,
    "cancelReason" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "creditedAt" TIMESTAMP(3),
    "lastEventSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "owner_registration" (
    "id" TEXT NOT NULL,
    "saleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "owner_registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_progress_note" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_progress_note_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sale_number_key" ON "sale"("number");

-- CreateIndex
CREATE UNIQUE INDEX "sale_workflowId_key" ON "sale"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "sale_leadId_key" ON "sale"("leadId");

-- CreateIndex
CREATE INDEX "sale_groupId_stage_idx" ON "sale"("groupId", "stage");

-- CreateIndex
CREATE INDEX "sale_projectId_stage_idx" ON "sale"("projectId", "stage");

-- CreateIndex
CREATE INDEX "sale_ownerId_stage_nextDueAt_idx" ON "sale"("ownerId", "stage", "nextDueAt");

-- CreateIndex
CREATE INDEX "sale_customerId_idx" ON "sale"("customerId");

-- CreateIndex
CREATE INDEX "sale_referrerCustomerId_idx" ON "sale"("referrerCustomerId");

-- CreateIndex
CREATE INDEX "sale_createdAt_idx" ON "sale"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "owner_registration_saleId_key" ON "owner_registration"("saleId");

-- CreateIndex
CREATE INDEX "owner_registration_unitId_idx" ON "owner_registration"("unitId");

-- CreateIndex
CREATE INDEX "owner_registration_customerId_idx" ON "owner_registration"("customerId");

-- CreateIndex
CREATE INDEX "project_progress_note_projectId_createdAt_idx" ON "project_progress_note"("projectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "unit_reservedBySaleId_key" ON "unit"("reservedBySaleId");

-- CreateIndex
CREATE UNIQUE INDEX "case_record_sourceKey_key" ON "case_record"("sourceKey");

-- CreateIndex
CREATE INDEX "case_record_saleId_idx" ON "case_record"("saleId");

