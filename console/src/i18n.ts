/**
 * The console's shared catalogue (shell, navigation, organisation) and `useI18n`, the typed
 * `t` every page uses. Languages, ICU formatting and the per-feature catalogues live in
 * shared/i18n.ts (i18next); this file registers the catalogues the console ships today under their
 * own namespaces. The Chinese dictionary defines the keys; the English one must have exactly the
 * same keys (checked by the compiler).
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGS, getLang, parseLang, registerCatalogue, setLang, translateKey, type Lang, type MessageVars } from './shared/i18n.js';
import { PROBLEMS_EN, PROBLEMS_ZH } from './i18n-errors.js';
// The cases feature registers its own catalogue (namespace `cases`) when loaded.
import type { CasesKey } from './features/cases/i18n.js';
// The leads feature's catalogue (namespace `leads`): its words appear on home, report and sales pages too.
import type { LeadMessageKey } from './features/leads/i18n.js';
import './features/leads/i18n.js';
import './features/cases/i18n.js';
import type { SearchMessageKey } from './features/search/i18n.js';
import type { CustomersMessageKey } from './features/customers/i18n.js';
import type { HomeMessageKey } from './features/home/i18n.js';
// The header's search and the customer pages' words are registered with the shell (both are reachable from every page).
import './features/search/i18n.js';
import './features/customers/i18n.js';
import './features/home/i18n.js';
import type { ReportsMessageKey } from './features/reports/i18n.js';
import './features/reports/i18n.js';
// The sales feature's catalogue holds the sales nav entries: registered with the shell.
import type { SaleMessageKey } from './features/sales/i18n.js';
import './features/sales/i18n.js';
import type { TableMessageKey } from './shared/table/i18n.js';
import './shared/table/i18n.js';
// Organisation, administration and login words: the nav, the shell and other features name projects, users and record views.
import type { OrgMessageKey } from './features/org/i18n.js';
import type { AdminMessageKey } from './features/admin/i18n.js';
import type { CalendarsMessageKey } from './features/admin/calendars-i18n.js';
import type { AuthMessageKey } from './features/auth/i18n.js';
import './features/org/i18n.js';
import './features/admin/i18n.js';
import './features/auth/i18n.js';
// Work orders: the nav names the technician's phone and the dispatch board.
import type { WorkOrdersMessageKey } from './features/workorders/i18n.js';
import './features/workorders/i18n.js';

export { LANGS, getLang, setLang, type Lang, type MessageVars };

const zhCN = {
  'app.name': 'Estate Care',
  'app.subtitle': '客户服务与销售管理',
  'app.loading': '正在加载…',
  'app.footer': '© 客户服务中心',

  'lang.other': 'English',

  'nav.label': '主导航',
  'nav.dashboard': '首页',
  'nav.section.cases': '工单',
  'nav.section.leads': '线索',
  'nav.section.sales': '销售',
  'nav.section.organisation': '组织',
  'nav.section.settings': '设置',
  'nav.open': '打开菜单',
  'nav.close': '关闭菜单',
  'nav.dashboard.desc': '待办计数与快捷入口',
  'nav.projects': '项目',
  'nav.projects.desc': '楼盘、楼栋与房源',
  'nav.companies': '公司',
  'nav.companies.desc': '区域公司及其项目数',
  'nav.customers': '客户',
  'nav.customers.desc': '查询与登记客户',
  'nav.customer': '客户',
  'nav.homeList': '待办列表',
  'nav.homeList.desc': '首页计数对应的记录',
  'nav.customer.desc': '客户的工单、线索、销售与房源',
  'nav.users': '用户',
  'nav.users.desc': '员工账号、角色与管辖范围',
  'nav.outbox': '发件箱',
  'nav.outbox.desc': '系统发出的邮件及发送状态',

  'header.timeZone': '时区 {tz}',
  'header.timeZoneHint': '所有时间均按此时区显示',
  'header.logout': '退出登录',
  'header.switchLanguage': '切换语言',

  'role.AGENT': '客服坐席',
  'role.AGENT.desc': '受理来电来访，登记工单与首次联系',
  'role.HANDLER': '工单处理人',
  'role.HANDLER.desc': '处理本层级的投诉与报修工单',
  'role.SUPERVISOR': '客服主管',
  'role.SUPERVISOR.desc': '审批升级申请，分派处理人',
  'role.MANAGER': '客服经理',
  'role.MANAGER.desc': '审核时限达成情况与服务质量',
  'role.SALES': '置业顾问',
  'role.SALES.desc': '跟进线索，推进认购与签约',
  'role.SALES_MANAGER': '销售经理',
  'role.SALES_MANAGER.desc': '管理线索池与销售团队',
  'role.SPECIALIST': '客户专员',
  'role.SPECIALIST.desc': '维护C级线索的月度回访',
  'role.ADMIN': '系统管理员',
  'role.ADMIN.desc': '管理组织、用户与系统设置',
  'role.TECHNICIAN': '维修技工',
  'role.TECHNICIAN.desc': '上门完成分派给自己的维修工单',
  'role.CONTRACTOR': '承包商人员',
  'role.CONTRACTOR.desc': '外部承包商员工，只处理本公司的维修工单',

  'scope.GROUP': '集团',
  'scope.GROUP.desc': '可查看集团内全部公司与项目',
  'scope.COMPANY': '公司',
  'scope.COMPANY.desc': '可查看本公司及其下属项目',
  'scope.PROJECT': '项目',
  'scope.PROJECT.desc': '可查看本项目',

  'common.noEmail': '未设置邮箱',
  'common.all': '全部',
  'common.yes': '是',
  'common.no': '否',
  'common.choose': '请选择',

  'error.network': '无法连接服务器，请检查网络后重试。',
  'error.unexpected': '发生意外错误',

  'action.retry': '重试',
  'action.close': '关闭',
  'action.refresh': '刷新',
  'action.search': '搜索',
  'action.clear': '清除',
  'action.cancel': '取消',
  'action.save': '保存',
  'action.saving': '正在保存…',

  'table.empty': '暂无数据',
  'table.loading': '正在加载…',

  'validation.required': '此项为必填项',

  'nav.casesNew': '新建工单',
  'nav.casesNew.desc': '电话受理，一屏登记投诉、报修与咨询',
  'nav.casesMine': '我的工单',
  'nav.casesMine.desc': '我受理或负责的工单及实时倒计时',
  'nav.casesQueue': '工单队列',
  'nav.casesQueue.desc': '本层级工单，按最先超时排序',
  'nav.case': '工单详情',
  'nav.case.desc': '工单处理、时限与处理记录',
  'nav.escalations': '升级审批',
  'nav.escalations.desc': '审批升级到本层级的申请',
  'nav.slaDashboard': '时效看板',
  'nav.slaDashboard.desc': '时限达成率、超时明细与导出',
  'nav.settings': '时效设置',
  'nav.settings.desc': '时效策略、工作日历与工单分类',

  'notFound.title': '页面不存在',
  'notFound.body': '您访问的页面不存在或已被移除。',
  'notFound.home': '返回首页',
  'forbidden.title': '无权访问',
  'forbidden.body': '您的角色无权查看此页面。',
} as const;

const en: Record<keyof typeof zhCN, string> = {
  'app.name': 'Estate Care',
  'app.subtitle': 'Customer service & sales',
  'app.loading': 'Loading…',
  'app.footer': '© Customer Service Centre',

  'lang.other': '中文',

  'nav.label': 'Main navigation',
  'nav.dashboard': 'Dashboard',
  'nav.section.cases': 'Cases',
  'nav.section.leads': 'Leads',
  'nav.section.sales': 'Sales',
  'nav.section.organisation': 'Organisation',
  'nav.section.settings': 'Settings',
  'nav.open': 'Open menu',
  'nav.close': 'Close menu',
  'nav.dashboard.desc': 'What waits for you, and shortcuts',
  'nav.projects': 'Projects',
  'nav.projects.desc': 'Developments, buildings and units',
  'nav.companies': 'Companies',
  'nav.companies.desc': 'Regional companies and their projects',
  'nav.customers': 'Customers',
  'nav.customers.desc': 'Find and register customers',
  'nav.customer': 'Customer',
  'nav.homeList': 'Work list',
  'nav.homeList.desc': 'The records behind a home count',
  'nav.customer.desc': 'A customer’s cases, leads, sales and units',
  'nav.users': 'Users',
  'nav.users.desc': 'Staff accounts, roles and scopes',
  'nav.outbox': 'Outbox',
  'nav.outbox.desc': 'Emails sent by the system and their status',

  'header.timeZone': 'Time zone {tz}',
  'header.timeZoneHint': 'All times are shown in this time zone',
  'header.logout': 'Log out',
  'header.switchLanguage': 'Switch language',

  'role.AGENT': 'Call-centre agent',
  'role.AGENT.desc': 'Takes calls and visits, opens cases, makes first contact',
  'role.HANDLER': 'Case handler',
  'role.HANDLER.desc': 'Works the complaint and repair cases of a tier',
  'role.SUPERVISOR': 'Supervisor',
  'role.SUPERVISOR.desc': 'Approves escalations and assigns handlers',
  'role.MANAGER': 'Service manager',
  'role.MANAGER.desc': 'Audits SLA compliance and service quality',
  'role.SALES': 'Sales consultant',
  'role.SALES.desc': 'Follows up leads through subscription and contract',
  'role.SALES_MANAGER': 'Sales manager',
  'role.SALES_MANAGER.desc': 'Manages the lead pool and the sales team',
  'role.SPECIALIST': 'Customer specialist',
  'role.SPECIALIST.desc': 'Keeps up the monthly touch with grade-C leads',
  'role.ADMIN': 'Administrator',
  'role.ADMIN.desc': 'Manages the organisation, users and settings',
  'role.TECHNICIAN': 'Technician',
  'role.TECHNICIAN.desc': 'Carries out the work orders assigned to them on site',
  'role.CONTRACTOR': 'Contractor',
  'role.CONTRACTOR.desc': "An external contractor's staff, working only their company's work orders",

  'scope.GROUP': 'Group',
  'scope.GROUP.desc': 'Sees every company and project of the group',
  'scope.COMPANY': 'Company',
  'scope.COMPANY.desc': 'Sees the company and its projects',
  'scope.PROJECT': 'Project',
  'scope.PROJECT.desc': 'Sees this project',

  'common.noEmail': 'No email set',
  'common.all': 'All',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.choose': 'Choose…',

  'error.network': 'Cannot reach the server. Check the network and try again.',
  'error.unexpected': 'Unexpected error',

  'action.retry': 'Retry',
  'action.close': 'Close',
  'action.refresh': 'Refresh',
  'action.search': 'Search',
  'action.clear': 'Clear',
  'action.cancel': 'Cancel',
  'action.save': 'Save',
  'action.saving': 'Saving…',

  'table.empty': 'No data',
  'table.loading': 'Loading…',

  'validation.required': 'This field is required',

  'nav.casesNew': 'New case',
  'nav.casesNew.desc': 'Open a complaint, repair or enquiry from a call, on one screen',
  'nav.casesMine': 'My cases',
  'nav.casesMine.desc': 'Cases you opened or handle, with live countdowns',
  'nav.casesQueue': 'Queue',
  'nav.casesQueue.desc': "Your tier's cases, what breaches first on top",
  'nav.case': 'Case',
  'nav.case.desc': 'Case actions, targets and timeline',
  'nav.escalations': 'Escalations',
  'nav.escalations.desc': 'Decide escalations into your tier',
  'nav.slaDashboard': 'SLA dashboard',
  'nav.slaDashboard.desc': 'Met %, breaches and CSV export',
  'nav.settings': 'SLA settings',
  'nav.settings.desc': 'SLA policies, calendars and categories',

  'notFound.title': 'Page not found',
  'notFound.body': 'The page you asked for does not exist or has been removed.',
  'notFound.home': 'Back to the dashboard',
  'forbidden.title': 'Not allowed',
  'forbidden.body': 'Your role may not view this page.',
};

type CommonKey = keyof typeof zhCN;
const COMMON_EN: Record<CommonKey, string> = en;

registerCatalogue('common', { 'zh-CN': zhCN, en: COMMON_EN });
registerCatalogue('problems', { 'zh-CN': PROBLEMS_ZH, en: PROBLEMS_EN });

/** Every key of the catalogues above: `t` is checked against it by the compiler. */
export type MessageKey = CommonKey | LeadMessageKey | SaleMessageKey | keyof typeof PROBLEMS_ZH | CasesKey | SearchMessageKey | CustomersMessageKey | HomeMessageKey | ReportsMessageKey | TableMessageKey | OrgMessageKey | AdminMessageKey | CalendarsMessageKey | AuthMessageKey | WorkOrdersMessageKey;

/** Looks a key up in a language and formats it (ICU: `{name}`, plurals). Plain text, rendered as text. */
export function translate(lang: Lang, key: MessageKey, vars?: MessageVars): string {
  return translateKey(lang, key, vars);
}

export function useI18n(): { lang: Lang; setLang: (lang: Lang) => void; t: (key: MessageKey, vars?: MessageVars) => string } {
  // Re-renders on a language change (react-i18next subscribes to i18next).
  const { i18n } = useTranslation();
  const lang = parseLang(i18n.language) ?? 'zh-CN';
  const t = useCallback((key: MessageKey, vars?: MessageVars) => translateKey(lang, key, vars), [lang]);
  return { lang, setLang, t };
}
