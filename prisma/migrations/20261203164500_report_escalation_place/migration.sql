-- The escalations of a report's cohort by the place of the caller (issue 14, item 7): an escalation
-- carries its case's company and project, so the SLA report hashes the escalations of that place
-- only, not every escalation of every company (114,000 rows at 1 M cases, most of the escalation
-- measure's time). Written by hand like 20261203133000_report_indexes: INCLUDE columns are not in
-- schema.prisma.
CREATE INDEX "case_escalation_report_company_idx" ON "case_escalation" ("groupId", "companyId") INCLUDE ("caseId", "projectId", "fromTier");
CREATE INDEX "case_escalation_report_project_idx" ON "case_escalation" ("groupId", "projectId") INCLUDE ("caseId", "companyId", "fromTier");

-- The read by case this replaces.
DROP INDEX "case_escalation_report_idx";
