-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "Role" ADD VALUE 'TECHNICIAN';
ALTER TYPE "Role" ADD VALUE 'CONTRACTOR';

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "contractorCompanyId" TEXT;

-- CreateTable
CREATE TABLE "contractor_company" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contractor_company_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contractor_responsibility" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "buildingId" TEXT,
    "trade" TEXT NOT NULL,
    "contractorCompanyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contractor_responsibility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_default_assignment" (
    "id" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "technicianId" TEXT,
    "contractorCompanyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_default_assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "buildingId" TEXT,
    "unitId" TEXT,
    "category" TEXT NOT NULL,
    "trade" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "warrantyCovered" BOOLEAN NOT NULL,
    "warrantyEndsAt" TIMESTAMP(3),
    "warrantyLastDay" TEXT,
    "warrantyClause" TEXT NOT NULL,
    "contractorCovered" BOOLEAN NOT NULL DEFAULT false,
    "quoteTotalFen" INTEGER,
    "quoteStatus" TEXT,
    "assigneeKind" TEXT,
    "technicianId" TEXT,
    "contractorCompanyId" TEXT,
    "assignedAt" TIMESTAMP(3),
    "reassignments" INTEGER NOT NULL DEFAULT 0,
    "responsibleContractorId" TEXT,
    "appointmentStart" TIMESTAMP(3),
    "appointmentEnd" TIMESTAMP(3),
    "arrivalDueAt" TIMESTAMP(3),
    "arrivalBreaches" INTEGER NOT NULL DEFAULT 0,
    "checkedInAt" TIMESTAMP(3),
    "visitCount" INTEGER NOT NULL DEFAULT 0,
    "reworks" INTEGER NOT NULL DEFAULT 0,
    "noShows" INTEGER NOT NULL DEFAULT 0,
    "visits" JSONB NOT NULL DEFAULT '[]',
    "chargeBackContractorId" TEXT,
    "chargeBackFen" INTEGER,
    "outcome" TEXT,
    "resolutionDueAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "lastEventSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "work_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_check_in_location" (
    "id" TEXT NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "latitude" DECIMAL(9,6) NOT NULL,
    "longitude" DECIMAL(9,6) NOT NULL,
    "accuracyM" INTEGER,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_check_in_location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_result" (
    "id" TEXT NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "visit" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "materials" JSONB NOT NULL DEFAULT '[]',
    "photoKeys" TEXT[],
    "costFen" INTEGER NOT NULL DEFAULT 0,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_result_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_sign_off" (
    "id" TEXT NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "visit" INTEGER NOT NULL,
    "accepted" BOOLEAN NOT NULL,
    "signatureKey" TEXT,
    "reason" TEXT,
    "channel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_sign_off_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "contractor_company_groupId_name_key" ON "contractor_company"("groupId", "name");

-- CreateIndex
CREATE INDEX "contractor_responsibility_contractorCompanyId_idx" ON "contractor_responsibility"("contractorCompanyId");

-- CreateIndex
CREATE UNIQUE INDEX "contractor_responsibility_projectId_buildingId_trade_key" ON "contractor_responsibility"("projectId", "buildingId", "trade");

-- CreateIndex
CREATE UNIQUE INDEX "work_order_default_assignment_projectId_category_key" ON "work_order_default_assignment"("projectId", "category");

-- CreateIndex
CREATE UNIQUE INDEX "work_order_number_key" ON "work_order"("number");

-- CreateIndex
CREATE UNIQUE INDEX "work_order_workflowId_key" ON "work_order"("workflowId");

-- CreateIndex
CREATE INDEX "work_order_groupId_status_idx" ON "work_order"("groupId", "status");

-- CreateIndex
CREATE INDEX "work_order_projectId_status_idx" ON "work_order"("projectId", "status");

-- CreateIndex
CREATE INDEX "work_order_caseId_idx" ON "work_order"("caseId");

-- CreateIndex
CREATE INDEX "work_order_technicianId_status_appointmentStart_idx" ON "work_order"("technicianId", "status", "appointmentStart");

-- CreateIndex
CREATE INDEX "work_order_contractorCompanyId_status_appointmentStart_idx" ON "work_order"("contractorCompanyId", "status", "appointmentStart");

-- CreateIndex
CREATE INDEX "work_order_check_in_location_workOrderId_idx" ON "work_order_check_in_location"("workOrderId");

-- CreateIndex
CREATE INDEX "work_order_result_workOrderId_idx" ON "work_order_result"("workOrderId");

-- CreateIndex
CREATE INDEX "work_order_sign_off_workOrderId_idx" ON "work_order_sign_off"("workOrderId");

-- CreateIndex
CREATE INDEX "app_user_contractorCompanyId_idx" ON "app_user"("contractorCompanyId");

