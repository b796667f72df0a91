-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "phoneDigits" TEXT NOT NULL DEFAULT '';


-- Numbers stored before landlines were accepted as `+86` and a mobile are written the canonical
-- way (its 11 digits), so a caller typing them either way is the same customer. A number whose
-- canonical form another customer of the group already has is left as it is (no duplicate).
UPDATE "customer" c SET "phone" = substr(c."phone", 4)
WHERE c."phone" ~ '^[+]861[3-9][0-9]{9}$'
  AND NOT EXISTS (SELECT 1 FROM "customer" d WHERE d."groupId" = c."groupId" AND d."phone" = substr(c."phone", 4));

-- phoneDigits follows phone whoever writes the row (the API, the seed, a script). The driver
-- adapter cuts a migration into statements at every semicolon, so the function body spells its
-- semicolons as the escape \073.
CREATE FUNCTION "customer_phone_digits"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN NEW."phoneDigits" := regexp_replace(NEW."phone", ''[^0-9]'', '''', ''g'')\073 RETURN NEW\073 END\073';

CREATE TRIGGER "customer_phone_digits" BEFORE INSERT OR UPDATE ON "customer"
  FOR EACH ROW EXECUTE FUNCTION "customer_phone_digits"();

UPDATE "customer" SET "phoneDigits" = regexp_replace("phone", '[^0-9]', '', 'g');
