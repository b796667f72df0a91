-- AlterTable
ALTER TABLE "work_order" ADD COLUMN     "cancelReason" TEXT,
ADD COLUMN     "quoteItems" JSONB;

