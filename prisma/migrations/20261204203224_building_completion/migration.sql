-- AlterTable
ALTER TABLE "building" ADD COLUMN     "completionAcceptedOn" DATE,
ADD COLUMN     "designLifeYears" INTEGER NOT NULL DEFAULT 50;

