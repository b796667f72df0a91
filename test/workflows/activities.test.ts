import { ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { FailureType } from '../../workflows/failures.js';
import { createTestDatabase } from '../support/database.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';

const logger = createLogger({ name: 'activities-test', level: 'silent' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtpServer;
const mailers: Mailer[] = [];

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
});
afterEach(() => {
  smtp.refuseWith = null;
});
afterAll(async () => {
  for (const m of mailers) m.close();
  await smtp?.close();
  await database?.drop();
});

function activitiesWith(smtpUrl?: string) {
  const mailer = createMailer({ db: database.db, from: 'Estate Care <noreply@estate-care.test>', logger, ...(smtpUrl ? { smtpUrl } : {}) });
  mailers.push(mailer);
  return createActivities({ db: database.db, mailer, logger });
}

function email(key: string) {
  return { idempotencyKey: key, to: 'owner@example.com', subject: 'Handover booked / 交付预约', text: 'Your handover is on 1 March.' };
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );
}

describe('recordAuditEvent', () => {
  it('writes one row when a retried attempt records the same (streamId, seq) again', async () => {
    const { recordAuditEvent } = activitiesWith();
    const event = {
      streamId: 'notice-audit-1',
      seq: 1,
      type: 'notice.scheduled',
      actor: 'user-1',
      at: '2026-11-20T01:02:03.000Z',
      data: { sendAt: '2026-11-21T00:00:00.000Z' },
      groupId: 'group-1',
    };
    expect(await recordAuditEvent(event)).toEqual({ inserted: true });
    expect(await recordAuditEvent(event)).toEqual({ inserted: false });

    const rows = await database.db.auditEvent.findMany({ where: { streamId: 'notice-audit-1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: 1, type: 'notice.scheduled', actor: 'user-1', groupId: 'group-1', data: event.data });
    expect(rows[0]?.at.toISOString()).toBe(event.at);
  });

  it('appends the next sequence number of the same stream as a new row', async () => {
    const { recordAuditEvent } = activitiesWith();
    const base = { streamId: 'notice-audit-2', actor: 'system', at: new Date().toISOString(), data: {} };
    await recordAuditEvent({ ...base, seq: 1, type: 'notice.scheduled' });
    await recordAuditEvent({ ...base, seq: 2, type: 'notice.sent' });
    const rows = await database.db.auditEvent.findMany({ where: { streamId: 'notice-audit-2' }, orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.type)).toEqual(['notice.scheduled', 'notice.sent']);
  });
});

describe('sendEmail', () => {
  it('delivers exactly one email over SMTP when the activity runs twice with the same key', async () => {
    const { sendEmail } = activitiesWith(smtp.url);
    const before = smtp.messages.length;
    const first = await sendEmail(email('notice-mail-1:email:1'));
    const second = await sendEmail(email('notice-mail-1:email:1'));
    expect(first).toMatchObject({ status: 'SENT', duplicate: false });
    expect(second).toEqual({ id: first.id, status: 'SENT', duplicate: true });

    const [received] = (await smtp.waitForMessages(before + 1)).slice(before);
    // Give a wrongly duplicated delivery time to arrive before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 1);
    expect(received?.subject).toBe('Handover booked / 交付预约');
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'notice-mail-1:email:1' } });
    expect(row).toMatchObject({ status: 'SENT', transport: 'smtp', attempts: 1, messageId: received?.messageId });
  });

  it('holds the email in email_message when no SMTP server is configured', async () => {
    const { sendEmail } = activitiesWith();
    const before = smtp.messages.length;
    expect(await sendEmail(email('notice-mail-2:email:1'))).toMatchObject({ status: 'HELD', duplicate: false });
    expect(await sendEmail(email('notice-mail-2:email:1'))).toMatchObject({ status: 'HELD', duplicate: true });
    const rows = await database.db.emailMessage.findMany({ where: { idempotencyKey: 'notice-mail-2:email:1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'HELD', transport: 'outbox', toAddress: 'owner@example.com' });
    expect(smtp.messages).toHaveLength(before);
  });

  it('turns a permanent SMTP refusal into a non-retryable failure, also on a retry', async () => {
    const { sendEmail } = activitiesWith(smtp.url);
    smtp.refuseWith = { code: 550, message: 'Mailbox unavailable' };
    for (let attempt = 0; attempt < 2; attempt++) {
      const err = await thrown(sendEmail(email('notice-mail-3:email:1')));
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: FailureType.PERMANENT_EMAIL, nonRetryable: true });
    }
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'notice-mail-3:email:1' } });
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
  });

  it('leaves a transient SMTP failure retryable, and the retry delivers once', async () => {
    const { sendEmail } = activitiesWith(smtp.url);
    const before = smtp.messages.length;
    smtp.refuseWith = { code: 451, message: 'Try again later' };
    const err = await thrown(sendEmail(email('notice-mail-4:email:1')));
    expect(err).not.toBeInstanceOf(ApplicationFailure);

    smtp.refuseWith = null;
    expect(await sendEmail(email('notice-mail-4:email:1'))).toMatchObject({ status: 'SENT', duplicate: false });
    await smtp.waitForMessages(before + 1);
    const row = await database.db.emailMessage.findUniqueOrThrow({ where: { idempotencyKey: 'notice-mail-4:email:1' } });
    expect(row).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  });
});
