-- DropIndex
DROP INDEX "unit_reservedBySaleId_key";

-- CreateIndex
CREATE INDEX "unit_reservedBySaleId_idx" ON "unit"("reservedBySaleId");

