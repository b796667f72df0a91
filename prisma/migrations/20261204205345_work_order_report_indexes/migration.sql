-- CreateIndex
CREATE INDEX "work_order_groupId_createdAt_idx" ON "work_order"("groupId", "createdAt");

-- CreateIndex
CREATE INDEX "work_order_unitId_category_createdAt_idx" ON "work_order"("unitId", "category", "createdAt");

