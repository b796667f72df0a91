import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { createTestDatabase } from '../support/database.js';

const logger = createLogger({ name: 'activities-test', level: 'silent' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let mailer: Mailer;

beforeAll(async () => {
  database = await createTestDatabase();
  mailer = createMailer({ db: database.db, from: 'Estate Care <noreply@estate-care.test>', logger });
});
afterAll(async () => {
  mailer?.close();
  await database?.drop();
});

function activitiesWith() {
  return createActivities({ db: database.db, mailer, logger });
}

describe('recordAuditEvent', () => {
  it('writes one row when a retried attempt records the same (streamId, seq) again', async () => {
    const { recordAuditEvent } = activitiesWith();
    const event = {
      streamId: 'case-audit-1',
      seq: 1,
      type: 'case.opened',
      actor: 'user-1',
      at: '2026-11-20T01:02:03.000Z',
      data: { firstContactDueAt: '2026-11-21T00:00:00.000Z' },
      groupId: 'group-1',
    };
    expect(await recordAuditEvent(event)).toEqual({ inserted: true });
    expect(await recordAuditEvent(event)).toEqual({ inserted: false });

    const rows = await database.db.auditEvent.findMany({ where: { streamId: 'case-audit-1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: 1, type: 'case.opened', actor: 'user-1', groupId: 'group-1', data: event.data });
    expect(rows[0]?.at.toISOString()).toBe(event.at);
  });

  it('appends the next sequence number of the same stream as a new row', async () => {
    const { recordAuditEvent } = activitiesWith();
    const base = { streamId: 'case-audit-2', actor: 'system', at: new Date().toISOString(), data: {} };
    await recordAuditEvent({ ...base, seq: 1, type: 'case.opened' });
    await recordAuditEvent({ ...base, seq: 2, type: 'sla.warned' });
    const rows = await database.db.auditEvent.findMany({ where: { streamId: 'case-audit-2' }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.type)).toEqual(['case.opened', 'sla.warned']);
  });
});
