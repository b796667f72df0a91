import type { Lang } from '../../app/errors.js';
import type { Role } from '../../domain/access.js';
import { categoryPath, type Category } from '../../domain/cases/categories.js';
import type { CaseStatus, TargetName, Tier } from '../../domain/cases/types.js';
import type { Grade, LeadSource } from '../../domain/leads/types.js';
import type { SaleStage } from '../../domain/sales/types.js';
import type { RetentionRecommendation, RetentionShortfall } from '../../domain/repairs/contractor-rating.js';
import type { RecordKind } from '../record-views/record-view-log.js';

/**
 * The words reports and their CSV downloads use for codes, in each language the API speaks: one
 * table per vocabulary (code → zh-CN / en), the same words the console shows. A label is picked in
 * one language (Accept-Language), never written as "中文 / English".
 */
export type Words = Readonly<Record<Lang, string>>;
const w = (zh: string, en: string): Words => ({ 'zh-CN': zh, en });

export const TIER_WORDS: Record<Tier, Words> = { PROJECT: w('项目', 'Project'), COMPANY: w('公司', 'Company'), GROUP: w('集团', 'Group') };

export const TARGET_WORDS: Record<TargetName, Words> = {
  firstContact: w('首次联系', 'First contact'),
  resolution: w('解决', 'Resolution'),
  callback: w('回访', 'Callback'),
};

export const CASE_STATUS_WORDS: Record<CaseStatus, Words> = {
  open: w('待联系', 'Open'),
  contacted: w('已联系', 'Contacted'),
  waiting_on_customer: w('等待客户', 'Waiting on customer'),
  resolved: w('已解决', 'Resolved'),
  closed: w('已结案', 'Closed'),
};

export const LEAD_SOURCE_WORDS: Record<LeadSource, Words> = {
  web: w('官网', 'Website'),
  wechat: w('微信', 'WeChat'),
  portal: w('房产门户', 'Property portal'),
  walk_in: w('到访', 'Walk-in'),
  event: w('活动', 'Event'),
  referral: w('老带新', 'Referral'),
  call: w('来电', 'Phone call'),
};

export const GRADE_WORDS: Record<Grade, Words> = { A: w('A级', 'Grade A'), B: w('B级', 'Grade B'), C: w('C级', 'Grade C') };

export const SALE_STAGE_WORDS: Record<SaleStage, Words> = {
  subscribed: w('认购', 'Subscribed'),
  contracted: w('已签约', 'Contracted'),
  paying: w('付款中', 'Paying'),
  mortgage_pending: w('按揭办理中', 'Mortgage in progress'),
  paid: w('已付清', 'Paid'),
  inspection: w('验房', 'Inspection'),
  handed_over: w('已交付', 'Handed over'),
  lapsed: w('已失效', 'Lapsed'),
  cancelled: w('已取消', 'Cancelled'),
};

export const ROLE_WORDS: Record<Role, Words> = {
  AGENT: w('客服坐席', 'Call-centre agent'),
  HANDLER: w('工单处理人', 'Case handler'),
  SUPERVISOR: w('客服主管', 'Supervisor'),
  MANAGER: w('客服经理', 'Service manager'),
  SALES: w('置业顾问', 'Sales consultant'),
  SALES_MANAGER: w('销售经理', 'Sales manager'),
  SPECIALIST: w('客户专员', 'Customer specialist'),
  ADMIN: w('系统管理员', 'Administrator'),
  TECHNICIAN: w('维修技工', 'Technician'),
  CONTRACTOR: w('承包商人员', 'Contractor'),
};

export const RECORD_KIND_WORDS: Record<RecordKind, Words> = {
  customer: w('客户资料', 'Customer record'),
  case: w('工单', 'Case'),
  lead: w('线索', 'Lead'),
  sale: w('销售', 'Sale'),
  'workflow-payloads': w('工作流数据解密', 'Workflow payloads decoded'),
};

/** The repair report's words: who did the work, and groups without a key. */
export const REPAIR_WORDS = {
  technician: w('维修技工', 'Technician'),
  contractor: w('承包商', 'Contractor'),
  noContractor: w('未确定责任单位', 'No responsible contractor'),
  noBuilding: w('未指定楼栋', 'No building'),
} as const satisfies Record<string, Words>;

/** The warranty retention recommendation of a contractor's rating (domain/repairs/contractor-rating.ts). */
export const RETENTION_WORDS: Record<RetentionRecommendation, Words> = {
  release: w('全额返还', 'Release in full'),
  deduct: w('扣减后返还', 'Release less charge-backs'),
  hold: w('暂缓返还', 'Hold'),
  insufficient_data: w('样本不足', 'Insufficient data'),
};

/** Which threshold a contractor missed. */
export const RETENTION_SHORTFALL_WORDS: Record<RetentionShortfall, Words> = {
  first_time_fix: w('一次修复率低于要求', 'First-time fix below the minimum'),
  late: w('上门超时率超过上限', 'Late arrivals above the maximum'),
  rejected: w('验收驳回率超过上限', 'Rejected sign-offs above the maximum'),
};

/** Words for what has no code of its own: a report's totals, a group without a key. */
export const WORDS = {
  total: w('合计', 'Total'),
  unassigned: w('未分派', 'Unassigned'),
  pool: w('公共池（无负责人）', 'Pool (no owner)'),
  none: w('—', '—'),
  yes: w('是', 'yes'),
  no: w('否', 'no'),
  unspecified: w('未填写', 'unspecified'),
} as const satisfies Record<string, Words>;

/** A code's word in `lang`; an unknown code (a value written by an older version) stays as it is. */
export function wordOf<C extends string>(table: Readonly<Record<C, Words>>, code: string | null | undefined, lang: Lang): string {
  if (code === null || code === undefined) return '';
  return (table as Readonly<Record<string, Words>>)[code]?.[lang] ?? code;
}

/** A category by its path of names, as the console writes it: 投诉 / 工程质量 / 渗漏 · Complaint › Building quality › Leakage. */
export function categoryLabel(code: string, categories: readonly Category[], lang: Lang): string {
  const path = categoryPath({ code, categories });
  if (path.length === 0) return code;
  return path.map((c) => (lang === 'zh-CN' ? c.name.zh : c.name.en)).join(lang === 'zh-CN' ? ' / ' : ' › ');
}

/** A name with zh-CN and en spellings (categories, loss reasons: settings the group edits) in `lang`. */
export const nameIn = (name: { zh: string; en: string }, lang: Lang) => (lang === 'zh-CN' ? name.zh : name.en);

/** The headers of the CSV downloads, per download and column (no ASCII commas: a header needs no quoting). */
export const CSV_HEADERS = {
  /** Last column of a grouped report: the group's code or id (tier, source, project id…), for joining sheets; `all` on the totals row. */
  groupKey: w('分组代码', 'Group key'),
  sla: {
    group: w('分组', 'Group'),
    cases: w('工单数', 'Cases'),
    met: (t: Words) => w(`${t['zh-CN']}·达标`, `${t.en}: met`),
    breached: (t: Words) => w(`${t['zh-CN']}·超时`, `${t.en}: breached`),
    inProgress: (t: Words) => w(`${t['zh-CN']}·进行中`, `${t.en}: in progress`),
    metPct: (t: Words) => w(`${t['zh-CN']}·达标率(%)`, `${t.en}: met rate (%)`),
    overall: w('整体', 'Overall'),
    typical: (t: Words) => w(`${t['zh-CN']}用时·一般(中位数，小时)`, `${t.en}: typical hours (median)`),
    slow: (t: Words) => w(`${t['zh-CN']}用时·较慢(90%不超过，小时)`, `${t.en}: slow-end hours (90% within)`),
    escalations: w('升级次数', 'Escalations'),
    callbacks: w('已回访工单', 'Cases called back'),
    satisfaction: w('平均满意度(1-5)', 'Average satisfaction (1–5)'),
  },
  breaches: {
    caseNumber: w('工单号', 'Case number'),
    target: w('时限', 'Target'),
    tier: w('超时层级', 'Tier breached at'),
    category: w('分类', 'Category'),
    project: w('项目', 'Project'),
    assignee: w('处理人', 'Assignee'),
    startedAt: w('开始时间', 'Started at'),
    dueAt: w('截止时间', 'Due at'),
    breachedAt: w('超时时间', 'Breached at'),
    metAt: w('完成时间', 'Met at'),
    periodEndedAt: w('该层级结束时间', 'Tier period ended at'),
    lateness: w('超时时长(小时)', 'Late by (hours)'),
    overdue: w('目前仍超时', 'Still late now'),
    timeZone: w('时区', 'Time zone'),
  },
  breachedCases: {
    caseNumber: w('工单号', 'Case number'),
    project: w('项目', 'Project'),
    tier: w('当前层级', 'Tier now'),
    status: w('当前状态', 'Status now'),
    category: w('分类', 'Category'),
    assignee: w('当前处理人', 'Assignee now'),
    openedAt: w('受理时间', 'Opened at'),
    breachCount: w('超时次数', 'Breaches'),
    breaches: w('超时时限(层级)', 'Targets breached (tier)'),
    lastBreachedAt: w('最近超时时间', 'Last breached at'),
    maxLateness: w('最长超时(小时)', 'Longest lateness (hours)'),
    overdue: w('目前仍超时', 'Still late now'),
    timeZone: w('时区', 'Time zone'),
  },
  leads: {
    group: w('分组', 'Group'),
    leads: w('线索数', 'Leads'),
    open: w('跟进中', 'Open'),
    pooled: w('公共池', 'In the pool'),
    contacted: w('已联系', 'Contacted'),
    withinTarget: w('按时首次联系', 'Contacted within target'),
    missed: w('首次联系超时', 'First contact missed'),
    withinTargetPct: w('首次联系按时率(%)', 'Contacted within target (%)'),
    converted: w('已成交', 'Converted'),
    conversionPct: w('转化率(%)', 'Conversion (%)'),
    medianDays: w('成交用时·一般(中位数，天)', 'Days to convert: typical (median)'),
    lost: w('战败', 'Lost'),
    lostFor: (reason: string) => w(`战败·${reason}`, `Lost: ${reason}`),
  },
  sales: {
    group: w('分组', 'Group'),
    sales: w('销售数', 'Sales'),
    live: w('进行中', 'Live'),
    handedOver: w('已交付', 'Handed over'),
    lapsed: w('已失效', 'Lapsed'),
    cancelled: w('已取消', 'Cancelled'),
    value: w('成交金额(元)', 'Value (CNY)'),
    paid: w('已收款(元)', 'Paid (CNY)'),
    mortgages: w('按揭放款笔数', 'Mortgages disbursed'),
    mortgageTypical: w('按揭周期·一般(中位数，天)', 'Mortgage days: typical (median)'),
    mortgageSlow: w('按揭周期·较慢(90%不超过，天)', 'Mortgage days: slow end (90% within)'),
    defectsPerUnit: w('每套交付问题数', 'Handover defects per unit'),
  },
  repairs: {
    assignee: w('维修人/单位', 'Technician or contractor'),
    assigneeKind: w('类型', 'Kind'),
    done: w('已完成工单', 'Work orders done'),
    firstTimeFixed: w('一次修复', 'Fixed first time'),
    firstTimeFixPct: w('一次修复率(%)', 'First-time fix rate (%)'),
    reworks: w('返工次数', 'Reworks'),
    noShows: w('爽约次数', 'No-shows'),
    arrivalBreaches: w('上门超时次数', 'Arrivals late'),
    assigneeId: w('维修人/单位代码', 'Assignee id'),
    number: w('维修单号', 'Work order'),
    createdAt: w('创建时间', 'Created at'),
    previousNumber: w('前次维修单号', 'Previous work order'),
    previousCreatedAt: w('前次创建时间', 'Previous created at'),
    daysSincePrevious: w('间隔天数', 'Days since previous'),
    project: w('项目', 'Project'),
    unit: w('房号', 'Unit'),
    category: w('分类', 'Category'),
    contractor: w('责任单位', 'Responsible contractor'),
    building: w('楼栋', 'Building'),
    defects: w('问题数', 'Defects'),
    inWarranty: w('保内', 'In warranty'),
    doneDefects: w('已完成', 'Done'),
    repeats: w('重复维修', 'Repeat repairs'),
    chargedBackOrders: w('扣款工单数', 'Work orders charged back'),
    chargeBackAmount: w('扣款金额(元)', 'Charged back (CNY)'),
    timeZone: w('时区', 'Time zone'),
    ratedContractor: w('承包商', 'Contractor'),
    recommendation: w('保修尾款建议', 'Retention recommendation'),
    deductAmount: w('应扣保修款(元)', 'To deduct (CNY)'),
    score: w('评分(0-100)', 'Score (0–100)'),
    heldWorkOrders: w('承接工单', 'Work orders held'),
    visits: w('上门次数', 'Visits'),
    latePct: w('上门超时率(%)', 'Late arrivals (%)'),
    rejectedPct: w('验收驳回率(%)', 'Rejected sign-offs (%)'),
    shortfalls: w('未达标项', 'Thresholds missed'),
    contractorId: w('承包商代码', 'Contractor id'),
  },
  recordViews: {
    viewedAt: w('查看时间', 'Viewed at'),
    viewerId: w('查看人ID', 'Viewer id'),
    viewerName: w('查看人', 'Viewer'),
    viewerRole: w('查看人角色', 'Viewer role'),
    customerId: w('客户ID', 'Customer id'),
    recordKind: w('记录类型', 'Record kind'),
    recordId: w('记录ID', 'Record id'),
    recordNumber: w('记录编号', 'Record number'),
    projectId: w('项目ID', 'Project id'),
    project: w('项目', 'Project'),
    contactShown: w('显示完整联系方式', 'Contact details shown'),
    requestId: w('请求ID', 'Request id'),
    timeZone: w('时区', 'Time zone'),
  },
} as const;
