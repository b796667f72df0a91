-- CreateTable
CREATE TABLE "record_number_counter" (
    "prefix" TEXT NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "record_number_counter_pkey" PRIMARY KEY ("prefix")
);

