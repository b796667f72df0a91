-- The SLA report and the breach lists read a cohort's target records as one index range (issue 14,
-- item 7). Before, they reached them by one probe per cohort case into an index on "caseId", whose
-- entries for a company's year lie all over the index (case ids are random): at 1 M cases that was
-- most of a report's time. Each target record now carries its case's company and opening time
-- (neither ever changes: projectCase copies them from case_record when it writes the row).
ALTER TABLE "case_target_record" ADD COLUMN "companyId" TEXT, ADD COLUMN "caseOpenedAt" TIMESTAMP(3);
UPDATE "case_target_record" r SET "companyId" = c."companyId", "caseOpenedAt" = c."openedAt" FROM "case_record" c WHERE c."id" = r."caseId";
ALTER TABLE "case_target_record" ALTER COLUMN "companyId" SET NOT NULL, ALTER COLUMN "caseOpenedAt" SET NOT NULL;

-- Written by hand like 20261203133000_report_indexes: INCLUDE columns are not in schema.prisma.
-- A cohort's targets by the place of the caller (company, project or the whole group) and the
-- case's openedAt, with every column the report counts and the breach lists filter and sort on,
-- so both read them from the index alone.
CREATE INDEX "case_target_record_report_company_idx" ON "case_target_record" ("groupId", "companyId", "caseOpenedAt")
  INCLUDE ("caseId", "id", "projectId", "target", "tier", "category", "assigneeId", "metAt", "breachedAt", "periodEndedAt", "durationMs");
CREATE INDEX "case_target_record_report_project_idx" ON "case_target_record" ("groupId", "projectId", "caseOpenedAt")
  INCLUDE ("caseId", "id", "companyId", "target", "tier", "category", "assigneeId", "metAt", "breachedAt", "periodEndedAt", "durationMs");
CREATE INDEX "case_target_record_report_group_idx" ON "case_target_record" ("groupId", "caseOpenedAt")
  INCLUDE ("caseId", "id", "companyId", "projectId", "target", "tier", "category", "assigneeId", "metAt", "breachedAt", "periodEndedAt", "durationMs");

-- The reads by case these replace.
DROP INDEX "case_target_record_report_idx";
DROP INDEX "case_target_record_breach_idx";
