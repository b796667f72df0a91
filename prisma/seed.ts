import type { Db } from '../platform/db.js';
import { hashPassword } from '../platform/passwords.js';
import type { Role, ScopeLevel } from '../domain/access.js';

/**
 * The demo organisation for development (never seeded when NODE_ENV=production): one group, two
 * companies, three projects with buildings and units, and one user per role and tier.
 * Idempotent: it creates what is missing and leaves existing rows (and changed passwords) alone.
 */
export const DEMO = {
  group: { code: 'HX', name: '华信置业集团' },
  companies: [
    { code: 'HX-EAST', name: '华东区域公司' },
    { code: 'HX-SOUTH', name: '华南区域公司' },
  ],
  projects: [
    { code: 'HZ-BJHY', name: '滨江花园', city: '杭州', company: 'HX-EAST', warranty: 5000, delivery: '2027-06-30' },
    { code: 'SZ-HPMD', name: '湖畔名邸', city: '苏州', company: 'HX-EAST', warranty: 8000, delivery: '2027-12-31' },
    { code: 'SZ-HJW', name: '海景湾', city: '深圳', company: 'HX-SOUTH', warranty: 10000, delivery: '2027-09-30' },
  ],
} as const;

const ROLE_PREFIX: Record<Role, string> = {
  AGENT: 'agent',
  HANDLER: 'handler',
  SUPERVISOR: 'supervisor',
  MANAGER: 'manager',
  SALES: 'sales',
  SALES_MANAGER: 'salesmgr',
  SPECIALIST: 'specialist',
  ADMIN: 'admin',
  TECHNICIAN: 'technician',
  CONTRACTOR: 'contractor',
};
const ROLE_LABEL: Record<Role, string> = {
  AGENT: '坐席',
  HANDLER: '处理人',
  SUPERVISOR: '主管',
  MANAGER: '经理',
  SALES: '置业顾问',
  SALES_MANAGER: '销售经理',
  SPECIALIST: '客户专员',
  ADMIN: '管理员',
  TECHNICIAN: '维修技工',
  CONTRACTOR: '承包商',
};
/** The demo organisation's contractor company, whose staff the contractor.* users are. */
export const DEMO_CONTRACTOR_COMPANY = '杭州华信防水工程有限公司';
const TIER_LABEL: Record<ScopeLevel, string> = { PROJECT: '项目', COMPANY: '公司', GROUP: '集团' };

/** `agent.project`, `handler.company`, `supervisor.group`, …; the group administrator is `admin`. */
export function demoUsername(role: Role, tier: ScopeLevel): string {
  if (role === 'ADMIN' && tier === 'GROUP') return 'admin';
  return `${ROLE_PREFIX[role]}.${tier.toLowerCase()}`;
}

export interface SeedResult {
  groupId: string;
  companyIds: string[];
  projectIds: string[];
  users: number;
}

export async function seedDemo(db: Db, opts: { password: string }): Promise<SeedResult> {
  const group = await db.group.upsert({ where: { code: DEMO.group.code }, create: DEMO.group, update: {} });
  const companies = new Map<string, string>();
  for (const c of DEMO.companies) {
    const row = await db.company.upsert({ where: { groupId_code: { groupId: group.id, code: c.code } }, create: { ...c, groupId: group.id }, update: {} });
    companies.set(c.code, row.id);
  }
  const projectIds: string[] = [];
  for (const p of DEMO.projects) {
    const companyId = companies.get(p.company)!;
    const project = await db.project.upsert({
      where: { groupId_code: { groupId: group.id, code: p.code } },
      create: {
        code: p.code,
        name: p.name,
        city: p.city,
        groupId: group.id,
        companyId,
        warrantyAuthorisationAmount: p.warranty,
        deliveryDate: new Date(`${p.delivery}T00:00:00Z`),
      },
      update: {},
    });
    projectIds.push(project.id);
    for (const b of ['1栋', '2栋']) {
      const building = await db.building.upsert({
        where: { projectId_name: { projectId: project.id, name: b } },
        create: { projectId: project.id, name: b },
        update: {},
      });
      const units = [];
      for (let floor = 1; floor <= 6; floor++)
        for (let n = 1; n <= 4; n++)
          units.push({ projectId: project.id, buildingId: building.id, floor, number: `${floor}0${n}`, area: [89.5, 105.2, 128.8, 143.6][n - 1]! });
      await db.unit.createMany({ data: units, skipDuplicates: true });
    }
  }

  const firstCompany = companies.get(DEMO.companies[0].code)!;
  const firstProject = projectIds[0]!;
  const passwordHash = await hashPassword(opts.password);
  // The demo contractor company (issue 15): the contractor.* users are its staff.
  const contractor = await db.contractorCompany.upsert({
    where: { groupId_name: { groupId: group.id, name: DEMO_CONTRACTOR_COMPANY } },
    create: { groupId: group.id, name: DEMO_CONTRACTOR_COMPANY },
    update: {},
  });
  let users = 0;
  for (const role of Object.keys(ROLE_PREFIX) as Role[]) {
    for (const tier of ['PROJECT', 'COMPANY', 'GROUP'] as const) {
      const username = demoUsername(role, tier);
      await db.user.upsert({
        where: { username },
        create: {
          username,
          displayName: `${TIER_LABEL[tier]}${ROLE_LABEL[role]}`,
          email: `${username}@demo.estate-care.local`,
          passwordHash,
          role,
          groupId: group.id,
          scopeLevel: tier,
          companyId: tier === 'GROUP' ? null : firstCompany,
          projectId: tier === 'PROJECT' ? firstProject : null,
          contractorCompanyId: role === 'CONTRACTOR' ? contractor.id : null,
        },
        update: {},
      });
      users++;
    }
  }

  const demoCustomers = [
    { name: '王先生', phone: '13800138001', consentToContact: true },
    { name: '李女士', phone: '13900139002', consentToContact: true },
    { name: '张女士', phone: '13700137003', consentToContact: false },
  ];
  for (const c of demoCustomers) {
    await db.customer.upsert({ where: { groupId_phone: { groupId: group.id, phone: c.phone } }, create: { ...c, groupId: group.id }, update: {} });
  }
  // 王先生 already owns a flat at 滨江花园: an owner who can refer new buyers (老带新).
  const wang = await db.customer.findUniqueOrThrow({ where: { groupId_phone: { groupId: group.id, phone: '13800138001' } } });
  const ownedUnit = await db.unit.findFirstOrThrow({ where: { projectId: firstProject }, orderBy: [{ floor: 'desc' }, { number: 'desc' }] });
  if (!ownedUnit.ownerCustomerId) await db.unit.update({ where: { id: ownedUnit.id }, data: { ownerCustomerId: wang.id, status: 'SOLD' } });
  return { groupId: group.id, companyIds: [...companies.values()], projectIds, users };
}
