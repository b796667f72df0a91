import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';

/** The organisation's settings documents (`org_setting`): one validated JSON document per group and key. */

/** The stored value of a settings document of the group, or undefined when none was saved. */
export async function findOrgSettingValue(db: Db, groupId: string, key: string): Promise<unknown | undefined> {
  const row = await db.orgSetting.findUnique({ where: { groupId_key: { groupId, key } } });
  return row?.value ?? undefined;
}

export async function upsertOrgSetting(db: Db, o: { groupId: string; key: string; value: unknown; updatedBy: string }): Promise<void> {
  await db.orgSetting.upsert({
    where: { groupId_key: { groupId: o.groupId, key: o.key } },
    create: { groupId: o.groupId, key: o.key, value: o.value as Prisma.InputJsonValue, updatedBy: o.updatedBy },
    update: { value: o.value as Prisma.InputJsonValue, updatedBy: o.updatedBy },
  });
}
