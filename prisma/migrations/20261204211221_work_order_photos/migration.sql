-- AlterTable
ALTER TABLE "work_order_sign_off" ADD COLUMN     "signaturePath" TEXT;

-- CreateTable
CREATE TABLE "work_order_photo" (
    "id" TEXT NOT NULL,
    "workOrderId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "thumbKey" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'photo',
    "uploadedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_photo_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "work_order_photo_workOrderId_key_key" ON "work_order_photo"("workOrderId", "key");

