import crypto from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { createAppWorker } from '../../activities/worker.js';
import { appDataConverter } from '../../platform/temporal/payload-codec.js';
import { DEFAULT_POLICY, type SlaPolicy } from '../../domain/cases/sla-policy.js';
import {
  addCaseNote,
  approveEscalation,
  caseSearchAttributes,
  caseWorkflowId,
  editCaseRecord,
  pauseClock,
  resumeClock,
  getCaseState,
  recordCallback,
  recordContact,
  requestEscalation,
  resolveCase,
  type CaseState,
  type ComplaintCaseInput,
} from '../../workflows/cases/complaint-case.defs.js';
import { calendarRetime, complaintCase, leadFollowUp, saleLifecycle, staffDigest, workOrder } from '../../workflows/index.js';
import {
  answerQuote,
  bookAppointment,
  checkIn,
  getWorkOrderState,
  issueQuote,
  issueSignOffLink,
  reassign,
  recordNoShow,
  recordResult,
  signOff,
  workOrderWorkflowId,
  type WorkOrderInput,
  type WorkOrderState,
} from '../../workflows/repairs/work-order.defs.js';
import { CALENDAR_24x7 } from '../../domain/cases/business-calendar.js';
import { workOrderWarrantyOf } from '../../domain/repairs/work-order-process.js';
import { NORTHERN_CITY_SEASONS } from '../../domain/warranty/periods.js';
import { eventually } from '../workflows/complaint-case.support.js';
import { addStaffNotice, staffDigestWorkflowId, type StaffDigestItem } from '../../workflows/notices/staff-digest.defs.js';
import { DEFAULT_SALES_POLICY } from '../../domain/sales/policy.js';
import {
  changePaymentMethod,
  decideApproval,
  getSaleState,
  recordFiling,
  recordHandover,
  recordInspection,
  recordMortgageEvent,
  recordPayment,
  requestApproval,
  saleWorkflowId,
  signContract,
  type SaleLifecycleInput,
  type SaleState,
} from '../../workflows/sales/sale-lifecycle.defs.js';
import { DEFAULT_CADENCES } from '../../domain/leads/cadence.js';
import {
  assignLead,
  convertLead,
  getLeadState,
  leadWorkflowId,
  logTouch,
  markLeadLost,
  regradeLead,
  reviewLostLead,
  type LeadFollowUpInput,
  type LeadState,
} from '../../workflows/leads/lead-follow-up.defs.js';
import { createTestDatabase } from '../support/database.js';
import { freePort, TEST_PAYLOAD_KEYS } from '../support/stack.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { historyFootprint, historyFromJSON, saveHistory, shorthandPayloads } from './histories.js';
import fs from 'node:fs';
import { firstCaseState, openingProjection } from '../../app/cases/open-case.js';
import { Prisma } from '../../prisma/generated/client.js';

/**
 * Records the histories under test/histories from real runs: the Temporal dev server, the
 * application worker with its real activities, PostgreSQL and an SMTP server. Not part of the
 * normal run; after changing a workflow deliberately (with `patched()`), record new histories
 * next to the old ones (keep the old ones: running executions still have them):
 *
 *   RECORD_HISTORIES=1 npx vitest run test/replay/record-histories.test.ts
 */
const RECORD = process.env.RECORD_HISTORIES === '1';

describe.runIf(RECORD)('record workflow histories from real runs', () => {
  let devServer: DevServer;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'record-histories';

  beforeAll(async () => {
    [devServer, database, smtp] = await Promise.all([
      startDevServer({ cli: inject('temporalCli'), port: await freePort(), headless: true }),
      createTestDatabase(),
      startSmtpServer(),
    ]);
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: smtp.url,
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ name: 'record-histories', level: 'silent' });
    mailer = createMailer({ db: database.db, smtpUrl: smtp.url, from: config.mail.from, logger });
    worker = await createAppWorker({ config, db: database.db, mailer, logger });
    running = worker.run();
    connection = await Connection.connect({ address: devServer.address });
    // Encrypts like the API; saveHistory stores the payloads decrypted, so replay needs no key.
    client = new Client({ connection, dataConverter: appDataConverter(config.temporal.payloadKeys) });
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection?.close();
    mailer?.close();
    await smtp?.close();
    await devServer?.stop();
    await database?.drop();
  });

  describe('complaint cases', () => {
    const org = { groupId: '', companyId: '', projectId: '', handlerId: '' };

    beforeAll(async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC', name: 'Recording group' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-C', name: 'Recording company' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-P', name: 'Recording project' } });
      const staff = (username: string, role: 'HANDLER' | 'SUPERVISOR', scopeLevel: 'PROJECT' | 'COMPANY') =>
        db.user.create({
          data: {
            groupId: group.id,
            username,
            displayName: username,
            email: `${username}@estate-care.test`,
            passwordHash: 'x',
            role,
            scopeLevel,
            companyId: company.id,
            projectId: scopeLevel === 'PROJECT' ? project.id : null,
          },
        });
      const handler = await staff('rec-project-handler', 'HANDLER', 'PROJECT');
      await staff('rec-project-supervisor', 'SUPERVISOR', 'PROJECT');
      await staff('rec-company-handler', 'HANDLER', 'COMPANY');
      await staff('rec-company-supervisor', 'SUPERVISOR', 'COMPANY');
      Object.assign(org, { groupId: group.id, companyId: company.id, projectId: project.id, handlerId: handler.id });
    });

    /** Creates the case row as the API does, then starts the workflow with second-long targets. */
    async function openCase(policy: Partial<SlaPolicy>, assigneeId: string | null, more: Partial<ComplaintCaseInput> = {}) {
      const caseId = crypto.randomUUID();
      const input: ComplaintCaseInput = {
        caseId,
        caseNumber: `CS-REC-${caseId.slice(0, 6)}`,
        groupId: org.groupId,
        companyId: org.companyId,
        projectId: org.projectId,
        type: 'complaint',
        category: 'complaint.quality.leakage',
        severity: 'minor',
        channel: 'phone',
        tier: 'PROJECT',
        assigneeId,
        openedBy: 'rec-agent',
        policy: { ...DEFAULT_POLICY, id: 'recording', ...policy },
        calendar: null,
        ...more,
      };
      await database.db.case.create({
        data: {
          id: caseId,
          number: input.caseNumber,
          workflowId: caseWorkflowId(caseId),
          groupId: org.groupId,
          companyId: org.companyId,
          projectId: org.projectId,
          customerId: 'rec-customer',
          type: input.type,
          category: input.category,
          severity: input.severity,
          channel: input.channel,
          description: 'Recorded case',
          status: 'open',
          tier: input.tier,
          assigneeId,
          policyId: input.policy.id,
          sla: {},
          openedById: input.openedBy,
          openedAt: new Date(),
        },
      });
      const handle = await client.workflow.start(complaintCase, { taskQueue, workflowId: caseWorkflowId(caseId), args: [input] });
      return { caseId, handle };
    }

    async function waitForState(handle: WorkflowHandle<typeof complaintCase>, ok: (s: CaseState) => boolean) {
      for (let i = 0; i < 300; i++) {
        if (ok(await handle.query(getCaseState))) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('case did not reach the expected state');
    }

    async function closeCase(handle: WorkflowHandle<typeof complaintCase>, actor: string) {
      await handle.executeUpdate(recordContact, { args: [{ actor, note: 'Called the owner' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'Resealed the window' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'rec-agent', satisfaction: 4, comment: 'Fine now' }] });
    }

    it('complaint-case.json: opened with an assigned handler, contacted, resolved, callback closes it', async () => {
      const { handle } = await openCase({}, org.handlerId);
      await expect(handle.executeUpdate(resolveCase, { args: [{ actor: org.handlerId, resolution: 'too early' }] })).rejects.toThrow();
      await closeCase(handle, org.handlerId);
      expect((await handle.result()).status).toBe('closed');
      await saveHistory(client, handle.workflowId, 'complaint-case.json');
    });

    it('complaint-case-escalated.json: assignee picked, a real breach, escalation approved, fresh company targets, closed', async () => {
      const { handle } = await openCase({ firstContact: 'PT2S', warnAt: 0.5 }, null);
      await waitForState(handle, (s) => s.escalations.some((e) => e.status === 'pending'));
      const state = await handle.query(getCaseState);
      const moved = await handle.executeUpdate(approveEscalation, { args: [{ actor: 'rec-company-supervisor', escalationId: state.escalations[0]!.id, note: 'Company takes over' }] });
      expect(moved.tier).toBe('COMPANY');
      await closeCase(handle, moved.assigneeId ?? 'rec-company-handler');
      expect((await handle.result()).status).toBe('closed');
      await smtp.waitForMessages(4);
      await saveHistory(client, handle.workflowId, 'complaint-case-escalated.json');
    });

    it('complaint-case-auto-escalated.json: a handler asks, nobody decides, it escalates by itself, then closes', async () => {
      const { handle } = await openCase({ approvalWindow: 'PT2S' }, org.handlerId);
      await handle.executeUpdate(requestEscalation, { args: [{ actor: org.handlerId, reason: 'Needs the company engineer' }] });
      await waitForState(handle, (s) => s.tier === 'COMPANY');
      expect((await handle.query(getCaseState)).escalations[0]?.status).toBe('auto_escalated');
      await closeCase(handle, 'rec-company-handler');
      expect((await handle.result()).status).toBe('closed');
      await saveHistory(client, handle.workflowId, 'complaint-case-auto-escalated.json');
    });

    it('complaint-case-continued-first-run.json / -last-run.json: paused and resumed until the history is long, continued as new (patched), then escalated and closed', async () => {
      const { handle } = await openCase({ approvalWindow: 'PT2S' }, org.handlerId, { historyLimit: 40 });
      for (let i = 0; i < 6; i++) {
        await handle.executeUpdate(pauseClock, { args: [{ actor: org.handlerId, reason: `Owner travelling ${i}` }] });
        await handle.executeUpdate(resumeClock, { args: [{ actor: org.handlerId }] });
      }
      await handle.executeUpdate(requestEscalation, { args: [{ actor: org.handlerId, reason: 'Needs the company engineer' }] });
      await waitForState(handle, (s) => s.tier === 'COMPANY');
      await closeCase(handle, 'rec-company-handler');
      expect((await handle.result()).status).toBe('closed');
      const runs = await client.workflow.getHandle(handle.workflowId).describe();
      expect(runs.runId).not.toBe(handle.firstExecutionRunId);
      await saveHistory(client, handle.workflowId, 'complaint-case-continued-first-run.json', handle.firstExecutionRunId);
      await saveHistory(client, handle.workflowId, 'complaint-case-continued-last-run.json');
    });
  });

  describe('slim histories since issue 14', () => {
    it('complaint-case-slim.json: opened as the API opens it, warned, breached, escalation approved, contacted, resolved, called back and closed (patch case-slim-history), within 100 events', async () => {
      await recordSlimWalk({ tag: '14S', file: 'complaint-case-slim.json' });
    });

    it('complaint-case-step-delta.json: the same walk with steps carrying projection deltas (patch case-step-delta), one step asked to rebase to the whole view (its row lost its stored view, as after a restore), within 100 events', async () => {
      const { caseId, history } = await recordSlimWalk({
        tag: '14D',
        file: 'complaint-case-step-delta.json',
        // After the breach's step: the row forgets its view, so the approval's delta is refused and sent again whole.
        beforeApproval: (id) => database.db.case.update({ where: { id }, data: { projection: Prisma.DbNull } }),
      });
      // Every step sent a delta (the first from the row's opening view) but the approval's, refused once and sent whole.
      const steps = (history as { events: Array<{ activityTaskScheduledEventAttributes?: { input: { payloads: Array<{ delta?: unknown; view?: unknown }> } } }> }).events.flatMap((e) => e.activityTaskScheduledEventAttributes?.input.payloads ?? []);
      expect(steps[0]).toHaveProperty('delta');
      expect(steps.filter((p) => p.view)).toHaveLength(1);
      expect(JSON.stringify(history).match(/"rebase":true/g)).toHaveLength(1);
      const row = await database.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { targetRecords: true, escalations: true } });
      expect(row).toMatchObject({ status: 'closed', tier: 'COMPANY', breached: true, satisfaction: 4, lastEventSeq: 10 });
      expect(row.projection).toMatchObject({ seq: 10, view: { status: 'closed' } });
      expect(row.escalations).toMatchObject([{ status: 'approved' }]);
      expect(row.targetRecords.map((t) => `${t.tier}:${t.target}:${t.breachedAt ? 'breached' : t.metAt ? 'met' : 'open'}`).sort()).toEqual([
        'COMPANY:callback:met',
        'COMPANY:firstContact:met',
        'COMPANY:resolution:met',
        'PROJECT:firstContact:breached',
        'PROJECT:resolution:open',
      ]);
    });

    async function recordSlimWalk({ tag, file, beforeApproval }: { tag: string; file: string; beforeApproval?: (caseId: string) => Promise<unknown> }) {
      const db = database.db;
      const group = await db.group.create({ data: { code: `REC-${tag}`, name: `Recording group ${tag}` } });
      const company = await db.company.create({ data: { groupId: group.id, code: `REC-${tag}C`, name: `Recording company ${tag}` } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: `REC-${tag}P`, name: `Recording project ${tag}` } });
      const staff = (username: string, role: 'HANDLER' | 'SUPERVISOR', scopeLevel: 'PROJECT' | 'COMPANY') =>
        db.user.create({
          data: { groupId: group.id, username, displayName: username, email: `${username}@estate-care.test`, passwordHash: 'x', role, scopeLevel, companyId: company.id, projectId: scopeLevel === 'PROJECT' ? project.id : null },
        });
      const handler = await staff(`rec${tag}-project-handler`, 'HANDLER', 'PROJECT');
      await staff(`rec${tag}-project-supervisor`, 'SUPERVISOR', 'PROJECT');
      const companyHandler = await staff(`rec${tag}-company-handler`, 'HANDLER', 'COMPANY');
      await staff(`rec${tag}-company-supervisor`, 'SUPERVISOR', 'COMPANY');
      const caseId = crypto.randomUUID();
      const smtpBefore = smtp.messages.length;
      const place = { groupId: group.id, companyId: company.id, projectId: project.id };
      const openedAt = Date.now();
      const input: ComplaintCaseInput = {
        caseId, caseNumber: `CS-REC-${caseId.slice(0, 6)}`, ...place, type: 'complaint', category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone',
        tier: 'PROJECT', assigneeId: handler.id, openedBy: 'rec-agent', policy: { ...DEFAULT_POLICY, id: 'recording', firstContact: 'PT4S', approvalWindow: 'PT1H' }, calendar: null, openedAt,
      };
      await db.case.create({
        data: {
          id: caseId, number: input.caseNumber, workflowId: caseWorkflowId(caseId), ...place, customerId: 'rec-customer', type: input.type, category: input.category,
          severity: input.severity, channel: input.channel, description: 'Recorded case', status: 'open', tier: 'PROJECT', assigneeId: handler.id, policyId: 'recording',
          sla: {}, openedById: 'rec-agent', openedAt: new Date(openedAt),
          // As the API stores it (app/cases/open-case.ts): the opened case's view, the first step's base.
          projection: openingProjection(input),
        },
      });
      // As the API starts it (app/cases/open-case.ts): with its first state's search attributes.
      const typedSearchAttributes = caseSearchAttributes(firstCaseState(input), input).flatMap(([key, value]) => (value === null ? [] : [{ key, value }]));
      const handle = await client.workflow.start(complaintCase, { taskQueue, workflowId: caseWorkflowId(caseId), args: [input], typedSearchAttributes });
      await waitForCase(handle, (s) => s.escalations.some((e) => e.status === 'pending'));
      await smtp.waitForMessages(smtpBefore + 3);
      await beforeApproval?.(caseId);
      const answer = await handle.executeUpdate(approveEscalation, { args: [{ actor: `rec${tag}-company-supervisor`, escalationId: `${caseId}:esc:1`, note: 'Company takes over' }] });
      expect(answer).toMatchObject({ tier: 'COMPANY', assigneeId: companyHandler.id, events: [{ type: 'escalation.approved' }, { type: 'case.escalated' }] });
      await handle.executeUpdate(recordContact, { args: [{ actor: companyHandler.id, note: 'Called the owner' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor: companyHandler.id, resolution: 'Resealed the window' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'rec-agent', satisfaction: 4, comment: 'Fine now' }] });
      expect(await handle.result()).toMatchObject({ status: 'closed' });
      const trail = await db.auditEvent.findMany({ where: { streamId: handle.workflowId }, orderBy: { seq: 'asc' } });
      expect(trail.map((e) => e.type)).toEqual(['case.opened', 'sla.warned', 'sla.breached', 'escalation.requested', 'escalation.approved', 'case.escalated', 'case.contacted', 'case.resolved', 'callback.recorded', 'case.closed']);
      expect((await db.case.findUniqueOrThrow({ where: { id: caseId } })).lastEventSeq).toBe(10);
      const saved = await saveHistory(client, handle.workflowId, file);
      const footprint = historyFootprint(historyFromJSON(JSON.parse(fs.readFileSync(saved, 'utf8'))));
      const described = await handle.describe();
      console.log(`${file}: ${footprint.events} events, ${footprint.protoBytes} bytes encoded (${footprint.bytes} as CLI JSON, ${footprint.base64Bytes} with payloads base64; the server counts ${described.raw.workflowExecutionInfo?.historySizeBytes?.toString()} bytes)`);
      // test/workflows/complaint-case.history-size.test.ts holds the walk's size on the test server;
      // here the dev server counts it (its count runs ~11% over the encoded events: 23,043 for 20,789).
      expect(footprint.events).toBeLessThanOrEqual(100);
      expect(Number(described.raw.workflowExecutionInfo?.historySizeBytes ?? Infinity)).toBeLessThanOrEqual(30 * 1024);
      return { caseId, history: shorthandPayloads(JSON.parse(fs.readFileSync(saved, 'utf8'))) };
    }

    async function waitForCase(handle: WorkflowHandle<typeof complaintCase>, ok: (s: CaseState) => boolean) {
      for (let i = 0; i < 300; i++) {
        if (ok(await handle.query(getCaseState))) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('case did not reach the expected state');
    }
  });

  describe('calendar re-timing since issue 14', () => {
    it('calendar-retime.json + complaint-case-retimed.json: a business-clock case on a calendar an admin changes is re-timed, then closed', async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC-14', name: 'Recording group 14' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-14C', name: 'Recording company 14' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-14P', name: 'Recording project 14' } });
      const allDay = [{ start: '00:00', end: '24:00' }];
      const desk = { id: 'desk', name: 'Desk', timeZone: 'Asia/Shanghai', weekly: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay }, holidays: [] as string[], makeUpWorkdays: [], workingDayHours: 24 };
      const tomorrow = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
      await db.orgSetting.create({ data: { groupId: group.id, key: 'calendars', value: [{ ...desk, holidays: [tomorrow] }], updatedBy: 'rec-admin' } });
      const caseId = crypto.randomUUID();
      const input: ComplaintCaseInput = {
        caseId,
        caseNumber: `CS-REC-${caseId.slice(0, 6)}`,
        groupId: group.id,
        companyId: company.id,
        projectId: project.id,
        type: 'repair',
        category: 'repair.plumbing.leak',
        severity: 'minor',
        channel: 'phone',
        tier: 'PROJECT',
        assigneeId: 'rec-handler',
        openedBy: 'rec-agent',
        policy: { ...DEFAULT_POLICY, id: 'recording-business', clock: 'business', calendarId: 'desk', resolution: 'P3D' },
        calendar: desk,
      };
      await db.case.create({
        data: {
          id: caseId, number: input.caseNumber, workflowId: caseWorkflowId(caseId), groupId: group.id, companyId: company.id, projectId: project.id,
          customerId: 'rec-customer', type: input.type, category: input.category, severity: input.severity, channel: input.channel,
          description: 'Recorded case', status: 'open', tier: input.tier, assigneeId: 'rec-handler', policyId: input.policy.id, sla: {},
          openedById: input.openedBy, openedAt: new Date(),
        },
      });
      const handle = await client.workflow.start(complaintCase, { taskQueue, workflowId: caseWorkflowId(caseId), args: [input] });
      const due = (await handle.query(getCaseState)).targets.resolution!.dueAt;
      const retime = await client.workflow.start(calendarRetime, { taskQueue, workflowId: `calendar-retime-${group.id}-desk`, args: [{ groupId: group.id, calendarId: 'desk', actor: 'rec-admin' }] });
      expect(await retime.result()).toEqual({ retimed: 1, skipped: 0 });
      expect((await handle.query(getCaseState)).targets.resolution!.dueAt).toBe(due + 86_400_000);
      await handle.executeUpdate(recordContact, { args: [{ actor: 'rec-handler', note: 'Called the owner' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor: 'rec-handler', resolution: 'Fixed the leak' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'rec-agent', satisfaction: 5 }] });
      expect((await handle.result()).status).toBe('closed');
      await saveHistory(client, retime.workflowId, 'calendar-retime.json');
      await saveHistory(client, handle.workflowId, 'complaint-case-retimed.json');
    });
  });

  describe('staff digests since issue 14', () => {
    it('staff-digest-first-run.json + staff-digest-last-run.json: a notice sent at once, two held for the window and sent as one digest, then continued as new (lingering)', async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC-14D', name: 'Recording group 14 digest' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-14DC', name: 'Recording company 14 digest' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-14DP', name: 'Recording project 14 digest' } });
      const user = await db.user.create({
        data: { groupId: group.id, username: 'rec-digest', displayName: 'rec-digest', email: 'rec-digest@estate-care.test', passwordHash: 'x', role: 'HANDLER', scopeLevel: 'PROJECT', companyId: company.id, projectId: project.id },
      });
      const item = (n: number): StaffDigestItem => ({
        key: `case-rec-${n}:3:${user.id}`,
        source: 'case',
        recordId: `rec-${n}`,
        recordNumber: `CS-REC-D${n}`,
        projectId: project.id,
        kind: 'warning',
        target: 'firstContact',
        tier: 'PROJECT',
        dueAt: Date.now() + 3_600_000,
        at: Date.now(),
        notBefore: Date.now(),
        digestMs: 3_000,
      });
      const before = smtp.messages.length;
      const workflowId = staffDigestWorkflowId(user.id);
      // A short history limit: the first run continues as new after its digest.
      const first = await client.workflow.signalWithStart(staffDigest, { taskQueue, workflowId, args: [{ userId: user.id, groupId: group.id, historyLimit: 12 }], signal: addStaffNotice, signalArgs: [item(1)] });
      await smtp.waitForMessages(before + 1);
      const handle = client.workflow.getHandle(workflowId);
      await handle.signal(addStaffNotice, item(2));
      await handle.signal(addStaffNotice, item(3));
      await handle.signal(addStaffNotice, item(2));
      const all = await smtp.waitForMessages(before + 2);
      expect(all.slice(before).map((m) => m.subject)).toEqual([expect.stringContaining('CS-REC-D1'), expect.stringContaining('2 条工单提醒')]);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(smtp.messages.length).toBe(before + 2);
      await saveHistory(client, workflowId, 'staff-digest-first-run.json', first.signaledRunId);
      await saveHistory(client, workflowId, 'staff-digest-last-run.json');
      await handle.terminate('recorded');
    });
  });

  describe('complaint cases since issue 13', () => {
    it('complaint-case-notes-edits.json: a note and an edit by id, projected before the request email and the approved tier move (patched), reopened by a callback, closed', async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC-13', name: 'Recording group 13' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-13C', name: 'Recording company 13' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-13P', name: 'Recording project 13' } });
      const staff = (username: string, role: 'HANDLER' | 'SUPERVISOR', scopeLevel: 'PROJECT' | 'COMPANY') =>
        db.user.create({
          data: { groupId: group.id, username, displayName: username, email: `${username}@estate-care.test`, passwordHash: 'x', role, scopeLevel, companyId: company.id, projectId: scopeLevel === 'PROJECT' ? project.id : null },
        });
      const handler = await staff('rec13-project-handler', 'HANDLER', 'PROJECT');
      await staff('rec13-company-handler', 'HANDLER', 'COMPANY');
      await staff('rec13-company-supervisor', 'SUPERVISOR', 'COMPANY');
      const caseId = crypto.randomUUID();
      const place = { groupId: group.id, companyId: company.id, projectId: project.id };
      const input: ComplaintCaseInput = {
        caseId, caseNumber: `CS-REC-${caseId.slice(0, 6)}`, ...place, type: 'complaint', category: 'complaint.quality.leakage', severity: 'minor', channel: 'phone',
        tier: 'PROJECT', assigneeId: handler.id, openedBy: 'rec-agent', policy: { ...DEFAULT_POLICY, id: 'recording' }, calendar: null,
      };
      await db.case.create({
        data: {
          id: caseId, number: input.caseNumber, workflowId: caseWorkflowId(caseId), ...place, customerId: 'rec-customer', type: input.type, category: input.category,
          severity: input.severity, channel: input.channel, description: 'Recorded case', status: 'open', tier: 'PROJECT', assigneeId: handler.id, policyId: 'recording',
          sla: {}, openedById: 'rec-agent', openedAt: new Date(),
        },
      });
      const note = await db.caseNote.create({ data: { caseId, ...place, authorId: 'rec-agent', text: 'Owner called again' } });
      const revision = await db.caseRevision.create({ data: { caseId, ...place, authorId: handler.id, changes: { description: { to: 'Recorded case, edited' } } } });
      const handle = await client.workflow.start(complaintCase, { taskQueue, workflowId: caseWorkflowId(caseId), args: [input] });
      await handle.executeUpdate(addCaseNote, { args: [{ actor: 'rec-agent', noteId: note.id }] });
      await handle.executeUpdate(editCaseRecord, { args: [{ actor: handler.id, revisionId: revision.id, fields: ['description'] }] });
      expect((await db.case.findUniqueOrThrow({ where: { id: caseId } })).description).toBe('Recorded case, edited');
      await handle.executeUpdate(requestEscalation, { args: [{ actor: handler.id, reason: 'Needs the company engineer' }] });
      const moved = await handle.executeUpdate(approveEscalation, { args: [{ actor: 'rec13-company-supervisor', escalationId: `${caseId}:esc:1` }] });
      expect(moved.tier).toBe('COMPANY');
      const actor = moved.assigneeId ?? 'rec13-company-handler';
      await handle.executeUpdate(recordContact, { args: [{ actor, note: 'Called the owner' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'Resealed the window' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'rec-agent', satisfaction: 2, comment: 'Still leaking' }] });
      expect((await handle.query(getCaseState)).tiers.at(-1)?.reason).toBe('reopened');
      await handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'Replaced the frame' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'rec-agent', satisfaction: 5 }] });
      expect((await handle.result()).status).toBe('closed');
      await saveHistory(client, handle.workflowId, 'complaint-case-notes-edits.json');
    });
  });

  describe('leads', () => {
    const org = { groupId: '', companyId: '', projectId: '', salesId: '', managerId: '' };
    /** Second-long cadences: first contact in 2 s, then every 3 s; B drops to C after 20 s. */
    const FAST = DEFAULT_CADENCES.map((p) => ({ ...p, firstContact: 'PT2S', interval: 'PT3S', lastsFor: p.lastsFor ? 'PT20S' : null }));

    beforeAll(async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC-L', name: 'Recording sales group' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-LC', name: 'Recording sales company' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-LP', name: 'Recording sales project' } });
      const staff = (username: string, role: 'SALES' | 'SALES_MANAGER') =>
        db.user.create({
          data: { groupId: group.id, username, displayName: username, email: `${username}@estate-care.test`, passwordHash: 'x', role, scopeLevel: 'PROJECT', companyId: company.id, projectId: project.id },
        });
      const sales = await staff('rec-sales', 'SALES');
      const manager = await staff('rec-salesmgr', 'SALES_MANAGER');
      Object.assign(org, { groupId: group.id, companyId: company.id, projectId: project.id, salesId: sales.id, managerId: manager.id });
    });

    async function createLead(o: Partial<LeadFollowUpInput>) {
      const leadId = crypto.randomUUID();
      const input: LeadFollowUpInput = {
        leadId,
        leadNumber: `LD-REC-${leadId.slice(0, 6)}`,
        groupId: org.groupId,
        companyId: org.companyId,
        projectId: org.projectId,
        timeZone: 'Asia/Shanghai',
        source: 'web',
        grade: 'A',
        ownerId: org.salesId,
        referrerCustomerId: null,
        createdBy: org.salesId,
        policies: FAST,
        ...o,
      };
      await database.db.lead.create({
        data: {
          id: leadId,
          number: input.leadNumber,
          workflowId: leadWorkflowId(leadId),
          groupId: org.groupId,
          companyId: org.companyId,
          projectId: org.projectId,
          customerId: 'rec-customer',
          source: input.source,
          grade: input.grade,
          status: input.ownerId ? 'new' : 'pooled',
          ownerId: input.ownerId,
          createdById: input.createdBy,
          createdAt: new Date(),
          firstContactDueAt: new Date(Date.now() + 2000),
        },
      });
      return client.workflow.start(leadFollowUp, { taskQueue, workflowId: leadWorkflowId(leadId), args: [input] });
    }

    async function waitForLead(handle: WorkflowHandle<typeof leadFollowUp>, ok: (s: LeadState) => boolean) {
      for (let i = 0; i < 300; i++) {
        if (ok(await handle.query(getLeadState))) return handle.query(getLeadState);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('lead did not reach the expected state');
    }

    it('lead-follow-up.json: a missed first contact, touches, a re-grade, lost and taken over, converted', async () => {
      const handle = await createLead({});
      await waitForLead(handle, (s) => s.firstContactMissedAt !== null);
      await handle.executeUpdate(logTouch, { args: [{ actor: org.salesId, channel: 'phone', outcome: 'reached', note: 'Wants a 3-bedroom' }] });
      await expect(handle.executeUpdate(regradeLead, { args: [{ actor: org.salesId, grade: 'A' }] })).rejects.toThrow();
      await handle.executeUpdate(regradeLead, { args: [{ actor: org.salesId, grade: 'B', policies: FAST }] });
      await handle.executeUpdate(markLeadLost, { args: [{ actor: org.salesId, reason: 'price', note: 'Budget too low' }] });
      await handle.executeUpdate(reviewLostLead, { args: [{ actor: org.managerId, decision: 'take_over', policies: FAST }] });
      await handle.executeUpdate(logTouch, { args: [{ actor: org.managerId, channel: 'visit', outcome: 'visited' }] });
      await handle.executeUpdate(convertLead, { args: [{ actor: org.managerId, unitId: 'rec-unit', price: '2350000.00', deposit: '50000.00' }] });
      expect((await handle.result()).status).toBe('converted');
      await saveHistory(client, handle.workflowId, 'lead-follow-up.json');
    });

    it('lead-follow-up-pooled.json: starts in the pool, assigned, lapses back, B drops to C, lost and closed; continued as new', async () => {
      const handle = await createLead({ ownerId: null, grade: 'B', historyLimit: 60 });
      await waitForLead(handle, (s) => s.status === 'pooled');
      await handle.executeUpdate(assignLead, { args: [{ actor: org.managerId, ownerId: org.salesId, policies: FAST }] });
      await handle.executeUpdate(logTouch, { args: [{ actor: org.salesId, channel: 'wechat', outcome: 'interested' }] });
      await waitForLead(handle, (s) => s.status === 'pooled' && s.touchCount === 1);
      await handle.executeUpdate(assignLead, { args: [{ actor: org.managerId, ownerId: org.salesId, policies: FAST }] });
      await waitForLead(handle, (s) => s.grade === 'C');
      // Pooled again by now, or about to be: the manager takes it and keeps touching.
      await handle.executeUpdate(assignLead, { args: [{ actor: org.managerId, ownerId: org.managerId, policies: FAST }] });
      for (let i = 0; i < 12; i++) await handle.executeUpdate(logTouch, { args: [{ actor: org.managerId, channel: 'phone', outcome: 'no_answer' }] });
      const continued = await waitForLead(handle, (s) => s.runs > 1);
      await handle.executeUpdate(markLeadLost, { args: [{ actor: org.managerId, reason: 'competitor' }] });
      await handle.executeUpdate(reviewLostLead, { args: [{ actor: org.managerId, decision: 'close' }] });
      expect((await handle.result()).status).toBe('closed');
      expect(continued.runs).toBeGreaterThan(1);
      await saveHistory(client, handle.workflowId, 'lead-follow-up-pooled-first-run.json', handle.firstExecutionRunId);
      await saveHistory(client, handle.workflowId, 'lead-follow-up-pooled-last-run.json');
    });
  });

  describe('sales', () => {
    const org = { groupId: '', companyId: '', projectId: '', salesId: '', managerId: '', customerId: '', units: [] as string[] };
    /** Second-long deadlines; delivery a minute away, so the inspection opens 50 s before it. */
    const FAST = {
      ...DEFAULT_SALES_POLICY,
      contractWithin: 'PT6S',
      filingWithin: 'PT3S',
      mortgageDocumentsWithin: 'PT30S',
      bankDecisionWithin: 'PT30S',
      disbursementWithin: 'PT30S',
      fullPaymentWithin: 'PT30S',
      remindBefore: 'PT2S',
      progressEvery: 'PT4S',
      inspectionBeforeDelivery: 'PT50S',
    };

    beforeAll(async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC-S', name: 'Recording sales group' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-SC', name: 'Recording sales company' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-SP', name: 'Recording sale project' } });
      const building = await db.building.create({ data: { projectId: project.id, name: '1栋' } });
      const staff = (username: string, role: 'SALES' | 'SALES_MANAGER') =>
        db.user.create({
          data: { groupId: group.id, username, displayName: username, email: `${username}@estate-care.test`, passwordHash: 'x', role, scopeLevel: 'PROJECT', companyId: company.id, projectId: project.id },
        });
      const sales = await staff('rec-seller', 'SALES');
      const manager = await staff('rec-sellmgr', 'SALES_MANAGER');
      const customer = await db.customer.create({ data: { groupId: group.id, name: 'Recording buyer', phone: '13000000001', email: 'buyer@estate-care.test' } });
      for (let n = 1; n <= 5; n++) org.units.push((await db.unit.create({ data: { projectId: project.id, buildingId: building.id, number: `10${n}`, floor: 1, area: '89.50' } })).id);
      Object.assign(org, { groupId: group.id, companyId: company.id, projectId: project.id, salesId: sales.id, managerId: manager.id, customerId: customer.id });
    });

    async function openSale(o: Partial<SaleLifecycleInput> & { unitId: string }) {
      const saleId = crypto.randomUUID();
      const input: SaleLifecycleInput = {
        saleId,
        saleNumber: `SL-REC-${saleId.slice(0, 6)}`,
        groupId: org.groupId,
        companyId: org.companyId,
        projectId: org.projectId,
        timeZone: 'Asia/Shanghai',
        customerId: org.customerId,
        ownerId: org.salesId,
        leadId: null,
        referrerCustomerId: null,
        price: '1000000.00',
        deposit: '100000.00',
        paymentMethod: 'full',
        contractArea: '89.50',
        deliveryDate: Date.now() + 60_000,
        policy: FAST,
        createdBy: org.salesId,
        ...o,
      };
      await database.db.unit.update({ where: { id: o.unitId }, data: { reservedBySaleId: saleId, status: 'RESERVED' } });
      await database.db.sale.create({
        data: {
          id: saleId,
          number: input.saleNumber,
          workflowId: saleWorkflowId(saleId),
          groupId: org.groupId,
          companyId: org.companyId,
          projectId: org.projectId,
          unitId: o.unitId,
          customerId: org.customerId,
          ownerId: org.salesId,
          stage: 'subscribed',
          paymentMethod: input.paymentMethod,
          price: input.price,
          deposit: input.deposit,
          paidTotal: input.deposit,
          contractArea: input.contractArea,
          deadlines: [],
          payments: [],
          approvals: [],
          deliveryDate: new Date(input.deliveryDate),
          inspectionAt: new Date(input.deliveryDate),
          createdById: org.salesId,
          createdAt: new Date(),
        },
      });
      return client.workflow.start(saleLifecycle, { taskQueue, workflowId: saleWorkflowId(saleId), args: [input] });
    }

    async function waitForSale(handle: WorkflowHandle<typeof saleLifecycle>, ok: (s: SaleState) => boolean, tries = 900) {
      for (let i = 0; i < tries; i++) {
        if (ok(await handle.query(getSaleState))) return handle.query(getSaleState);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('sale did not reach the expected state');
    }

    it('sale-lifecycle.json: mortgage rejected, switched to full payment, filing missed, progress emails, inspection and handover defects, handed over', async () => {
      const handle = await openSale({ unitId: org.units[0]!, paymentMethod: 'mortgage' });
      await handle.executeUpdate(signContract, { args: [{ actor: org.salesId, contractNo: 'HT-REC-1' }] });
      await waitForSale(handle, (s) => s.deadlines.some((d) => d.kind === 'filing' && d.missedAt !== null));
      await handle.executeUpdate(recordFiling, { args: [{ actor: org.salesId, filingNo: 'BA-REC-1' }] });
      await handle.executeUpdate(recordMortgageEvent, { args: [{ actor: org.salesId, event: 'documents_submitted', bank: 'ICBC' }] });
      await handle.executeUpdate(recordMortgageEvent, { args: [{ actor: org.salesId, event: 'rejected' }] });
      await handle.executeUpdate(changePaymentMethod, { args: [{ actor: org.salesId, paymentMethod: 'full' }] });
      await handle.executeUpdate(recordPayment, { args: [{ actor: org.salesId, amount: '400000' }] });
      await handle.executeUpdate(recordPayment, { args: [{ actor: org.salesId, amount: '500000.00' }] });
      await waitForSale(handle, (s) => s.stage === 'inspection' && s.progressCount >= 1);
      await handle.executeUpdate(recordInspection, { args: [{ actor: org.salesId, defects: [{ location: 'Kitchen', description: 'Loose hinge', category: 'repair.doors_windows' }] }] });
      await waitForSale(handle, (s) => (s.inspection?.caseIds.length ?? 0) === 1);
      await handle.executeUpdate(recordHandover, {
        args: [{ actor: org.salesId, keysIssued: 2, measuredArea: '91.00', defects: [{ location: 'Balcony', description: 'Slow drain', category: 'repair.plumbing.blockage' }] }],
      });
      const final = await handle.result();
      expect(final.stage).toBe('handed_over');
      expect(final.handover?.caseIds).toHaveLength(1);
      await saveHistory(client, handle.workflowId, 'sale-lifecycle.json');
    });

    it('sale-lifecycle-approvals.json: rename rejected, unit changed, then cancelled on approval', async () => {
      const handle = await openSale({ unitId: org.units[1]!, deliveryDate: Date.now() + 365 * 86_400_000, policy: { ...FAST, contractWithin: 'PT60S', progressEvery: 'P1M' } });
      const rename = await handle.executeUpdate(requestApproval, { args: [{ actor: org.salesId, kind: 'rename', reason: 'Add spouse', buyerName: 'Buyer and spouse' }] });
      await handle.executeUpdate(decideApproval, { args: [{ actor: org.managerId, approvalId: rename.id, decision: 'reject', note: 'Documents missing' }] });
      await database.db.unit.update({ where: { id: org.units[2]! }, data: { reservedBySaleId: (await handle.query(getSaleState)).saleId, status: 'RESERVED' } });
      const change = await handle.executeUpdate(requestApproval, { args: [{ actor: org.salesId, kind: 'change_unit', reason: 'Higher floor', unitId: org.units[2]!, contractArea: '89.50' }] });
      await handle.executeUpdate(decideApproval, { args: [{ actor: org.managerId, approvalId: change.id, decision: 'approve' }] });
      const cancel = await handle.executeUpdate(requestApproval, { args: [{ actor: org.salesId, kind: 'cancel', reason: 'Buyer withdrew' }] });
      await handle.executeUpdate(decideApproval, { args: [{ actor: org.managerId, approvalId: cancel.id, decision: 'approve' }] });
      expect((await handle.result()).stage).toBe('cancelled');
      await saveHistory(client, handle.workflowId, 'sale-lifecycle-approvals.json');
    });

    it('sale-lifecycle-lapsed.json: reminded, then lapsed without a contract', async () => {
      const handle = await openSale({ unitId: org.units[3]!, deliveryDate: Date.now() + 365 * 86_400_000, policy: { ...FAST, progressEvery: 'P1M' } });
      expect((await handle.result()).stage).toBe('lapsed');
      await saveHistory(client, handle.workflowId, 'sale-lifecycle-lapsed.json');
    });

    it('sale-lifecycle-progress-anchored.json: progress emails on the cadence anchored at subscription (patch sale-progress-anchored), then lapsed', async () => {
      const handle = await openSale({ unitId: org.units[4]!, deliveryDate: Date.now() + 365 * 86_400_000, policy: { ...FAST, contractWithin: 'PT14S' } });
      const final = await handle.result();
      expect(final.stage).toBe('lapsed');
      expect(final.progressAnchored).toBe(true);
      expect(final.progressCount).toBeGreaterThanOrEqual(2);
      await saveHistory(client, handle.workflowId, 'sale-lifecycle-progress-anchored.json');
    });
  });

  describe('work orders since issue 15', () => {
    const org = { groupId: '', companyId: '', projectId: '', technicianId: '', contractorCompanyId: '', builderId: '' };
    const DAY = 86_400_000;
    /** Second-long arrival targets on a round-the-clock calendar: urgent in 8 s, warned 4 s before. */
    const FAST = { urgentCategories: ['repair.plumbing.leak'], urgentWorkingHours: 8 / 3600, warnBeforeMinutes: 4 / 60 };

    beforeAll(async () => {
      const db = database.db;
      const group = await db.group.create({ data: { code: 'REC-W', name: 'Recording repairs group' } });
      const company = await db.company.create({ data: { groupId: group.id, code: 'REC-WC', name: 'Recording repairs company' } });
      const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'REC-WP', name: 'Recording repairs project' } });
      const contractor = await db.contractorCompany.create({ data: { groupId: group.id, name: 'Recording plumbers' } });
      const builder = await db.contractorCompany.create({ data: { groupId: group.id, name: 'Recording waterproofing builder' } });
      const user = (username: string, role: 'TECHNICIAN' | 'SUPERVISOR' | 'CONTRACTOR', contractorCompanyId: string | null = null) =>
        db.user.create({
          data: { groupId: group.id, username, displayName: username, email: `${username}@estate-care.test`, passwordHash: 'x', role, scopeLevel: 'PROJECT', companyId: company.id, projectId: project.id, contractorCompanyId },
        });
      const technician = await user('rec-technician', 'TECHNICIAN');
      await user('rec-dispatcher', 'SUPERVISOR');
      await user('rec-contractor', 'CONTRACTOR', contractor.id);
      await user('rec-builder', 'CONTRACTOR', builder.id);
      await db.workOrderDefaultAssignment.create({ data: { groupId: group.id, projectId: project.id, category: 'repair.plumbing', technicianId: technician.id } });
      await db.contractorResponsibility.create({ data: { groupId: group.id, projectId: project.id, buildingId: null, trade: 'waterproofing', contractorCompanyId: builder.id } });
      Object.assign(org, { groupId: group.id, companyId: company.id, projectId: project.id, technicianId: technician.id, contractorCompanyId: contractor.id, builderId: builder.id });
    });

    /** Creates the work_order row as the API will, then starts the workflow. */
    async function createWorkOrder(o: { yearsSinceHandover: number; component: 'wet_room_waterproofing' | 'plumbing_pipes' }) {
      const workOrderId = crypto.randomUUID();
      const now = Date.now();
      const warranty = workOrderWarrantyOf({
        component: o.component,
        completionAcceptedAt: now - (o.yearsSinceHandover + 1) * 365 * DAY,
        handedOverAt: now - o.yearsSinceHandover * 365 * DAY,
        reportedAt: now,
        designLifeYears: 50,
        overrides: [],
        place: { projectId: org.projectId, city: '北京' },
        seasons: NORTHERN_CITY_SEASONS,
      });
      const input: WorkOrderInput = {
        workOrderId,
        workOrderNumber: `WO-REC-${workOrderId.slice(0, 6)}`,
        groupId: org.groupId,
        companyId: org.companyId,
        projectId: org.projectId,
        caseId: crypto.randomUUID(),
        category: 'repair.plumbing.leak',
        trade: 'waterproofing',
        buildingId: 'rec-building',
        unitId: 'rec-unit',
        warranty,
        resolutionDueAt: now + 7 * DAY,
        calendar: CALENDAR_24x7,
        policy: FAST,
        createdBy: 'rec-agent',
        createdAt: now,
      };
      await database.db.workOrder.create({
        data: {
          id: workOrderId,
          number: input.workOrderNumber,
          workflowId: workOrderWorkflowId(workOrderId),
          groupId: org.groupId,
          companyId: org.companyId,
          projectId: org.projectId,
          caseId: input.caseId,
          buildingId: input.buildingId,
          unitId: input.unitId,
          category: input.category,
          trade: input.trade,
          status: warranty.covered ? 'awaiting_assignment' : 'awaiting_quote',
          warrantyCovered: warranty.covered,
          warrantyClause: warranty.clause.code,
          createdById: input.createdBy,
          createdAt: new Date(now),
        },
      });
      return client.workflow.start(workOrder, { taskQueue, workflowId: workOrderWorkflowId(workOrderId), args: [input] });
    }

    const waitForOrder = (handle: WorkflowHandle<typeof workOrder>, ok: (s: WorkOrderState) => boolean) =>
      eventually(async () => {
        const s = await handle.query(getWorkOrderState);
        return ok(s) ? s : undefined;
      }, 'the expected work-order state', 30_000);
    const soon = () => ({ start: Date.now() + 1_000, end: Date.now() + 2_000 });
    const lastVisit = (s: WorkOrderState) => s.visits.at(-1)!;

    it('work-order.json: default technician, slot, warning and breach, reassigned, owner no-show, rework after a rejected sign-off, signed off and charged back to the responsible builder', async () => {
      const handle = await createWorkOrder({ component: 'wet_room_waterproofing', yearsSinceHandover: 2 });
      await waitForOrder(handle, (s) => s.status === 'assigned' && s.responsibleContractorId === org.builderId);
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'rec-dispatcher', ...soon() }] });
      await waitForOrder(handle, (s) => lastVisit(s).breachedAt !== null);
      await handle.executeUpdate(reassign, { args: [{ actor: 'rec-dispatcher', assignee: { kind: 'contractor', companyId: org.contractorCompanyId }, reason: 'technician off sick' }] });
      await handle.executeUpdate(recordNoShow, { args: [{ actor: 'rec-dispatcher', party: 'owner' }] });
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'rec-dispatcher', ...soon() }] });
      await handle.executeUpdate(checkIn, { args: [{ actor: 'rec-contractor', locationId: 'rec-location-1' }] });
      await handle.executeUpdate(recordResult, { args: [{ actor: 'rec-contractor', resultId: 'rec-result-1', photoIds: ['sha256-rec-1'], costFen: 20_000 }] });
      await handle.executeUpdate(signOff, { args: [{ actor: 'rec-owner', accepted: false, signOffId: 'rec-sign-off-1' }] });
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'rec-dispatcher', ...soon() }] });
      await handle.executeUpdate(checkIn, { args: [{ actor: 'rec-contractor' }] });
      await handle.executeUpdate(recordResult, { args: [{ actor: 'rec-contractor', resultId: 'rec-result-2', photoIds: [], costFen: 5_000 }] });
      await handle.executeUpdate(signOff, { args: [{ actor: 'rec-owner', accepted: true, signOffId: 'rec-sign-off-2' }] });
      const done = await handle.result();
      expect(done).toMatchObject({ status: 'done', reworks: 1, noShows: 1, reassignments: 1, chargeBack: { contractorCompanyId: org.builderId, amountFen: 25_000 } });
      const row = await database.db.workOrder.findUniqueOrThrow({ where: { id: done.workOrderId } });
      expect(row).toMatchObject({ status: 'done', lastEventSeq: done.seq, chargeBackFen: 25_000, contractorCompanyId: org.contractorCompanyId });
      await saveHistory(client, handle.workflowId, 'work-order.json');
    });

    it("work-order-sign-off-link.json: result recorded, a sign-off link issued (audited by id) and the owner's signature through it, as the case's customer", async () => {
      const handle = await createWorkOrder({ component: 'wet_room_waterproofing', yearsSinceHandover: 2 });
      await waitForOrder(handle, (s) => s.status === 'assigned');
      await handle.executeUpdate(bookAppointment, { args: [{ actor: 'rec-dispatcher', ...soon() }] });
      await handle.executeUpdate(checkIn, { args: [{ actor: 'rec-technician' }] });
      await handle.executeUpdate(recordResult, { args: [{ actor: 'rec-technician', resultId: 'rec-result-1', photoIds: [], costFen: 0 }] });
      await expect(handle.executeUpdate(issueSignOffLink, { args: [{ actor: 'rec-technician', linkId: 'rec-link-0', expiresAt: Date.now() - 1 }] })).rejects.toThrow();
      await handle.executeUpdate(issueSignOffLink, { args: [{ actor: 'rec-technician', linkId: 'rec-link-1', expiresAt: Date.now() + 72 * 3_600_000 }] });
      await handle.executeUpdate(signOff, { args: [{ actor: 'customer:rec-customer', accepted: true, signOffId: 'rec-sign-off-1' }] });
      expect(await handle.result()).toMatchObject({ status: 'done', outcome: 'done' });
      await saveHistory(client, handle.workflowId, 'work-order-sign-off-link.json');
    });

    it('work-order-quote-refused.json: out of warranty, a quote refused, cancelled with outcome quote_refused', async () => {
      const handle = await createWorkOrder({ component: 'plumbing_pipes', yearsSinceHandover: 9 });
      await expect(handle.executeUpdate(issueQuote, { args: [{ actor: 'rec-dispatcher', items: [{ description: '换管', amountFen: 100 }], totalFen: 99 }] })).rejects.toThrow();
      await handle.executeUpdate(issueQuote, { args: [{ actor: 'rec-dispatcher', items: [{ description: '更换水管 / replace pipe', amountFen: 30_000 }], totalFen: 30_000 }] });
      await handle.executeUpdate(answerQuote, { args: [{ actor: 'rec-owner', accepted: false }] });
      expect(await handle.result()).toMatchObject({ status: 'cancelled', outcome: 'quote_refused' });
      await saveHistory(client, handle.workflowId, 'work-order-quote-refused.json');
    });
  });
});
