-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "lostById" TEXT,
ADD COLUMN     "lostNote" TEXT,
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedById" TEXT;

