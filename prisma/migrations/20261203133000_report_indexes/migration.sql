-- Indexes for the SLA report and the breach lists over years of cases (issue 14, item 7).
-- Written by hand: the Prisma schema cannot express INCLUDE columns or a partial index, so they are
-- not in schema.prisma (see the note there), and npm run migrate:new diffs schema files, never the
-- database, so it does not propose to drop them.

-- The cohort (cases opened in a period in the place of the caller) read from the
-- index alone: the key finds a year of one company among all companies and years, the INCLUDE
-- columns are every column the report reads of the case, so no table page is visited.
CREATE INDEX "case_record_report_company_idx" ON "case_record" ("groupId", "companyId", "openedAt")
  INCLUDE ("id", "projectId", "status", "tier", "category", "assigneeId", "satisfaction");
CREATE INDEX "case_record_report_project_idx" ON "case_record" ("groupId", "projectId", "openedAt")
  INCLUDE ("id", "companyId", "status", "tier", "category", "assigneeId", "satisfaction");
CREATE INDEX "case_record_report_group_idx" ON "case_record" ("groupId", "openedAt")
  INCLUDE ("id", "companyId", "projectId", "status", "tier", "category", "assigneeId", "satisfaction");

-- The target records of a cohort case, with every column the report counts and measures.
CREATE INDEX "case_target_record_report_idx" ON "case_target_record" ("caseId")
  INCLUDE ("target", "tier", "category", "projectId", "assigneeId", "metAt", "breachedAt", "periodEndedAt", "durationMs");

-- The breaches of a cohort case (a small share of the targets): what the breach lists filter, sort and
-- count on, so only the rows of the page are read from the table.
CREATE INDEX "case_target_record_breach_idx" ON "case_target_record" ("caseId")
  INCLUDE ("id", "breachedAt", "groupId", "projectId", "target", "tier") WHERE "breachedAt" IS NOT NULL;

-- The escalations of a cohort case, by the tier they left.
CREATE INDEX "case_escalation_report_idx" ON "case_escalation" ("caseId") INCLUDE ("fromTier");
