-- Slim histories (issue 14, item 4): each step of a case carries only what changed in its projection
-- view since the step before, and the read model keeps the view it last applied, with its seq, to apply
-- the next delta to. Nullable: rows projected without a view (older executions, bulk-generated bench
-- rows, restores) make the workflow send its whole view once.
ALTER TABLE "case_record" ADD COLUMN "projection" JSONB;
