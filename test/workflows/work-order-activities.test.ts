import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { CALENDAR_CN_DEFAULT } from '../../domain/cases/business-calendar.js';
import { initialWorkOrderState, reduceWorkOrder, workOrderWarrantyOf, type WorkOrderAction, type WorkOrderOpening } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderState } from '../../domain/repairs/work-order-state.js';
import { NORTHERN_CITY_SEASONS } from '../../domain/warranty/periods.js';
import { createLogger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail.js';
import { workOrderWorkflowId } from '../../workflows/repairs/work-order.defs.js';
import { startSmtpServer, type TestSmtpServer } from '../integration/smtp.js';
import { createTestDatabase } from '../support/database.js';
import { createStaffUser } from '../support/staff.js';

/**
 * The work order's activities against PostgreSQL and an SMTP server: the default and
 * responsibility lookups, the notices to technicians, contractor staff and dispatchers, and the
 * monotonic projection.
 */
const logger = createLogger({ name: 'work-order-activities-test', level: 'silent' });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtpServer;
let mailer: Mailer;
let activities: ReturnType<typeof createActivities>;
const org = { groupId: '', companyId: '', projectId: '', otherProjectId: '', plumbers: '', builder: '', otherBuilder: '' };

const user = (o: { username: string; role: 'TECHNICIAN' | 'CONTRACTOR' | 'SUPERVISOR'; contractorCompanyId?: string; scope?: 'PROJECT' | 'COMPANY'; active?: boolean }) =>
  createStaffUser(database.db, org, { ...o, scope: o.scope ?? 'PROJECT' });

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
  mailer = createMailer({ db: database.db, smtpUrl: smtp.url, from: 'Estate Care <noreply@estate-care.test>', logger });
  activities = createActivities({ db: database.db, mailer, logger });
  const db = database.db;
  const group = await db.group.create({ data: { code: 'WG', name: 'Group' } });
  const company = await db.company.create({ data: { groupId: group.id, code: 'WC', name: 'Company' } });
  const project = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'WP', name: 'Project', timeZone: 'Asia/Shanghai' } });
  const other = await db.project.create({ data: { groupId: group.id, companyId: company.id, code: 'WP2', name: 'Other' } });
  const company_ = (name: string, active = true) => db.contractorCompany.create({ data: { groupId: group.id, name, active } });
  const [plumbers, builder, otherBuilder] = await Promise.all([company_('Plumbers'), company_('Builder'), company_('Other builder')]);
  Object.assign(org, { groupId: group.id, companyId: company.id, projectId: project.id, otherProjectId: other.id, plumbers: plumbers.id, builder: builder.id, otherBuilder: otherBuilder.id });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await database?.drop();
});

describe('pickWorkOrderAssignee', () => {
  it('takes the row of the most specific category of the project, then its parents; nobody for an inactive technician or another project', async () => {
    const db = database.db;
    const leakTech = await user({ username: 'a-leak-tech', role: 'TECHNICIAN' });
    const gone = await user({ username: 'a-gone-tech', role: 'TECHNICIAN', active: false });
    const row = (category: string, o: { technicianId?: string; contractorCompanyId?: string }, projectId = org.projectId) =>
      db.workOrderDefaultAssignment.create({ data: { groupId: org.groupId, projectId, category, ...o } });
    await row('repair.plumbing', { contractorCompanyId: org.plumbers });
    await row('repair.plumbing.leak', { technicianId: leakTech });
    await row('repair.electrical', { technicianId: gone });
    await row('repair.hvac', { technicianId: leakTech }, org.otherProjectId);
    const pick = (category: string) => activities.pickWorkOrderAssignee({ groupId: org.groupId, projectId: org.projectId, category });

    expect(await pick('repair.plumbing.leak')).toEqual({ kind: 'technician', userId: leakTech });
    expect(await pick('repair.plumbing.blockage')).toEqual({ kind: 'contractor', companyId: org.plumbers });
    expect(await pick('repair.electrical.power')).toBeNull();
    expect(await pick('repair.hvac')).toBeNull();
  });
});

describe('findResponsibleContractor', () => {
  it("takes the building's contractor for the trade before the project's, and nobody for a trade without one", async () => {
    const db = database.db;
    const resp = (trade: string, contractorCompanyId: string, buildingId: string | null) =>
      db.contractorResponsibility.create({ data: { groupId: org.groupId, projectId: org.projectId, buildingId, trade, contractorCompanyId } });
    await resp('waterproofing', org.builder, null);
    await resp('waterproofing', org.otherBuilder, 'building-2');
    const find = (buildingId: string | null, trade: string) => activities.findResponsibleContractor({ groupId: org.groupId, projectId: org.projectId, buildingId, trade });

    expect(await find('building-2', 'waterproofing')).toBe(org.otherBuilder);
    expect(await find('building-1', 'waterproofing')).toBe(org.builder);
    expect(await find(null, 'waterproofing')).toBe(org.builder);
    expect(await find('building-2', 'electrical')).toBeNull();
  });
});

describe('notifyWorkOrderStaff', () => {
  it("emails the technician, the contractor company's active staff and the project's dispatchers once each, also when the activity runs again", async () => {
    const tech = await user({ username: 'n-tech', role: 'TECHNICIAN' });
    const staff = await user({ username: 'n-plumber', role: 'CONTRACTOR', contractorCompanyId: org.plumbers });
    await user({ username: 'n-plumber-gone', role: 'CONTRACTOR', contractorCompanyId: org.plumbers, active: false });
    await user({ username: 'n-builder', role: 'CONTRACTOR', contractorCompanyId: org.builder });
    const dispatcher = await user({ username: 'n-dispatcher', role: 'SUPERVISOR' });
    await user({ username: 'n-company-dispatcher', role: 'SUPERVISOR', scope: 'COMPANY' });
    const before = smtp.messages.length;
    const input = {
      workOrderId: 'wo-n',
      workOrderNumber: 'WO-20261204-0007',
      groupId: org.groupId,
      companyId: org.companyId,
      projectId: org.projectId,
      kind: 'arrival_breached' as const,
      dueAt: Date.parse('2026-12-07T06:00:00Z'),
      recipients: { userIds: [tech], contractorCompanyId: org.plumbers, dispatchers: true },
      idempotencyKeyBase: 'work-order-wo-n:5',
    };
    const first = await activities.notifyWorkOrderStaff(input);
    const second = await activities.notifyWorkOrderStaff(input);
    // The project has a dispatcher of its own: the company's is not bothered.
    expect(first.sent.sort()).toEqual([tech, staff, dispatcher].sort());
    expect(second.sent.sort()).toEqual(first.sent.sort());

    const received = (await smtp.waitForMessages(before + 3)).slice(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(before + 3);
    const mail = received[0]!;
    expect(mail.subject).toBe('[WO-20261204-0007] 已超过上门时限 / On-site arrival target missed');
    expect(mail.text).toContain('2026-12-07 14:00');
  });
});

describe('projectWorkOrder', () => {
  const opening = (workOrderId: string): WorkOrderOpening => {
    const now = Date.parse('2026-12-07T01:30:00Z');
    return {
      workOrderId,
      workOrderNumber: `WO-${workOrderId.slice(0, 6)}`,
      caseId: 'case-1',
      category: 'repair.plumbing.leak',
      trade: 'waterproofing',
      buildingId: 'building-1',
      unitId: 'unit-1',
      warranty: workOrderWarrantyOf({
        component: 'wet_room_waterproofing',
        completionAcceptedAt: now - 3 * 365 * 86_400_000,
        handedOverAt: now - 2 * 365 * 86_400_000,
        reportedAt: now,
        designLifeYears: 50,
        overrides: [],
        place: { projectId: org.projectId, city: '北京' },
        seasons: NORTHERN_CITY_SEASONS,
      }),
      resolutionDueAt: now + 7 * 86_400_000,
      calendar: CALENDAR_CN_DEFAULT,
      createdBy: 'agent-1',
    };
  };
  const walk = (o: WorkOrderOpening, ...actions: WorkOrderAction[]): WorkOrderState => {
    const now = Date.parse('2026-12-07T01:30:00Z');
    return [{ type: 'create', opening: o } as WorkOrderAction, ...actions].reduce((s, a) => reduceWorkOrder(s, a, now).state, initialWorkOrderState(o, now));
  };

  it('moves the row forward only: a retried or late older state changes nothing', async () => {
    const id = crypto.randomUUID();
    const o = opening(id);
    await database.db.workOrder.create({
      data: {
        id,
        number: o.workOrderNumber,
        workflowId: workOrderWorkflowId(id),
        groupId: org.groupId,
        companyId: org.companyId,
        projectId: org.projectId,
        caseId: o.caseId,
        category: o.category,
        trade: o.trade,
        status: 'awaiting_assignment',
        warrantyCovered: true,
        warrantyClause: o.warranty.clause.code,
        createdById: 'agent-1',
        createdAt: new Date(),
      },
    });
    const created = walk(o);
    const assigned = walk(o, { type: 'responsibleContractorFound', contractorCompanyId: org.builder }, { type: 'assigneePicked', assignee: { kind: 'contractor', companyId: org.plumbers } });

    expect(await activities.projectWorkOrder({ workOrderId: id, seq: assigned.seq, state: assigned })).toEqual({ applied: true });
    expect(await activities.projectWorkOrder({ workOrderId: id, seq: created.seq, state: created })).toEqual({ applied: false });
    expect(await activities.projectWorkOrder({ workOrderId: id, seq: assigned.seq, state: assigned })).toEqual({ applied: false });
    const row = await database.db.workOrder.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      status: 'assigned',
      lastEventSeq: assigned.seq,
      assigneeKind: 'contractor',
      contractorCompanyId: org.plumbers,
      technicianId: null,
      responsibleContractorId: org.builder,
      urgent: true,
      warrantyCovered: true,
      contractorCovered: true,
      visitCount: 1,
    });
    expect(row.arrivalDueAt?.getTime()).toBe(assigned.visits[0]!.arrivalDueAt);
  });

  it('fails (to be retried) while the API has not written the row yet', async () => {
    const o = opening(crypto.randomUUID());
    const s = walk(o);
    await expect(activities.projectWorkOrder({ workOrderId: o.workOrderId, seq: s.seq, state: s })).rejects.toThrow(/no work_order row/);
  });
});
