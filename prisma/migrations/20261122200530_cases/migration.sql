-- CreateTable
CREATE TABLE "case_record" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "unitId" TEXT,
    "customerId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "estimatedCost" DECIMAL(14,2),
    "status" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "assigneeId" TEXT,
    "policyId" TEXT NOT NULL,
    "sla" JSONB NOT NULL,
    "nextDueAt" TIMESTAMP(3),
    "breached" BOOLEAN NOT NULL DEFAULT false,
    "firstContactMs" BIGINT,
    "resolutionMs" BIGINT,
    "satisfaction" INTEGER,
    "openedById" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "contactedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "lastEventSeq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "case_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_escalation" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "fromTier" TEXT NOT NULL,
    "toTier" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,

    CONSTRAINT "case_escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_target_record" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "assigneeId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "metAt" TIMESTAMP(3),
    "breachedAt" TIMESTAMP(3),
    "durationMs" BIGINT,
    "pausedMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "case_target_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "org_setting" (
    "groupId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "org_setting_pkey" PRIMARY KEY ("groupId","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "case_record_number_key" ON "case_record"("number");

-- CreateIndex
CREATE UNIQUE INDEX "case_record_workflowId_key" ON "case_record"("workflowId");

-- CreateIndex
CREATE INDEX "case_record_groupId_status_tier_idx" ON "case_record"("groupId", "status", "tier");

-- CreateIndex
CREATE INDEX "case_record_projectId_status_idx" ON "case_record"("projectId", "status");

-- CreateIndex
CREATE INDEX "case_record_assigneeId_status_idx" ON "case_record"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "case_record_nextDueAt_idx" ON "case_record"("nextDueAt");

-- CreateIndex
CREATE INDEX "case_record_openedAt_idx" ON "case_record"("openedAt");

-- CreateIndex
CREATE INDEX "case_escalation_groupId_status_toTier_idx" ON "case_escalation"("groupId", "status", "toTier");

-- CreateIndex
CREATE INDEX "case_escalation_caseId_idx" ON "case_escalation"("caseId");

-- CreateIndex
CREATE INDEX "case_target_record_groupId_startedAt_idx" ON "case_target_record"("groupId", "startedAt");

-- CreateIndex
CREATE INDEX "case_target_record_caseId_idx" ON "case_target_record"("caseId");

-- AddForeignKey
ALTER TABLE "case_escalation" ADD CONSTRAINT "case_escalation_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_target_record" ADD CONSTRAINT "case_target_record_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

