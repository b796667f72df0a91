-- CreateTable
CREATE TABLE "work_order_sign_off_link" (
    "id" TEXT NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "visit" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "emailed" BOOLEAN NOT NULL DEFAULT false,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "signOffId" TEXT,

    CONSTRAINT "work_order_sign_off_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "work_order_sign_off_link_tokenHash_key" ON "work_order_sign_off_link"("tokenHash");

-- CreateIndex
CREATE INDEX "work_order_sign_off_link_workOrderId_visit_idx" ON "work_order_sign_off_link"("workOrderId", "visit");

