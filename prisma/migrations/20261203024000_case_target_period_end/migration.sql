-- AlterTable
ALTER TABLE "case_target_record" ADD COLUMN     "periodEndedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "case_target_record_groupId_breachedAt_idx" ON "case_target_record"("groupId", "breachedAt");


-- Backfill: the projection writes each target as `${caseId}:${periodIndex}:${target}`. A period
-- ended when the next one began (the earliest start among the next period's targets) or, for the
-- last one, when the case closed. Rows of open cases' current periods stay null.
UPDATE "case_target_record" r
SET "periodEndedAt" = coalesce(
  (SELECT min(n."startedAt") FROM "case_target_record" n
    WHERE n."caseId" = r."caseId" AND n."id" ~ '^[^:]+:[0-9]+:[A-Za-z]+$'
      AND split_part(n."id", ':', 2)::int > split_part(r."id", ':', 2)::int),
  (SELECT c."closedAt" FROM "case_record" c WHERE c."id" = r."caseId")
)
WHERE r."id" ~ '^[^:]+:[0-9]+:[A-Za-z]+$';
