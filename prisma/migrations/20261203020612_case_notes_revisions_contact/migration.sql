-- AlterTable
ALTER TABLE "case_record" ADD COLUMN     "contactName" TEXT,
ADD COLUMN     "contactPhone" TEXT;

-- CreateTable
CREATE TABLE "case_note" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_revision" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "companyId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "case_revision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_note_caseId_createdAt_idx" ON "case_note"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "case_revision_caseId_idx" ON "case_revision"("caseId");

-- AddForeignKey
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_revision" ADD CONSTRAINT "case_revision_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case_record"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

