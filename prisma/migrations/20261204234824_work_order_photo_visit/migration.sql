-- AlterTable
ALTER TABLE "work_order_photo" ADD COLUMN     "visit" INTEGER;

