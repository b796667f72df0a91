/**
 * The holiday schedules' catalogue (namespace `admin-calendars`): the coverage of next year's
 * holidays, the warning admins get from 1 November, and the ICS import.
 * Chinese defines the keys; English must have exactly the same ones (checked by the compiler).
 */
import { registerCatalogue } from '../../shared/i18n.js';

export const CALENDARS_ZH = {
  'schedules.title': '节假日安排',
  'schedules.intro': '按工作日计时的时效会跳过休息日、计入调休上班日。“中国大陆工作日”跟随国务院每年的放假安排（随系统升级更新）；省份或公司自定的日子可导入 ICS 文件或订阅地址。',
  'schedules.calendar': '日历',
  'schedules.follows': '国务院安排',
  'schedules.followsYes': '跟随',
  'schedules.followsNo': '不跟随',
  'schedules.years': '已有安排的年份',
  'schedules.noYears': '无（全天候或未设置）',
  'schedules.nextYear': '{year} 年',
  'schedules.covered': '已有',
  'schedules.missing': '缺少',
  'schedules.notNeeded': '无需',
  'schedules.inUse': '使用中',
  'schedules.warning': '日历“{calendar}”尚无 {year} 年的节假日安排：跨越元旦、春节的时限会把假日当作工作日。请升级系统或导入 {year} 年的 ICS 日历。',
  'schedules.warningTitle': '{count, plural, other {# 个日历缺少明年的节假日安排}}',
  'schedules.open': '前往时效设置',
  'schedules.import': '导入 ICS',
  'schedules.importInto': '导入到日历',
  'schedules.source': '来源',
  'schedules.sourceFile': 'ICS 文件',
  'schedules.sourceUrl': '订阅地址',
  'schedules.file': 'ICS 文件',
  'schedules.chooseFile': '选择 .ics 文件',
  'schedules.fileChosen': '已选择 {name}（{size} KB）',
  'schedules.fileHint': '全天事件为休息日；标有“班”或“上班”的为调休上班日。最大 240 KB，更大的文件请用订阅地址。',
  'schedules.fileTooLarge': '文件超过 240 KB：请改用订阅地址',
  'schedules.fileRequired': '请选择 ICS 文件',
  'schedules.url': '订阅地址',
  'schedules.urlHint': 'http(s) 地址，立即读取一次（最大 1 MB，10 秒内）。',
  'schedules.urlRequired': '请输入订阅地址',
  'schedules.importing': '正在导入…',
  'schedules.imported': '已导入到“{calendar}”：{holidays, plural, other {# 个休息日}}、{workdays, plural, other {# 个调休上班日}}；跳过 {skipped, plural, other {# 个非全天事件}}。进行中工单的时限将重新计算。',
} as const;

export type CalendarsMessageKey = keyof typeof CALENDARS_ZH;

export const CALENDARS_EN: Record<CalendarsMessageKey, string> = {
  'schedules.title': 'Holiday schedules',
  'schedules.intro':
    'Business-clock targets skip days off and count make-up working days (调休). "Mainland China working days" follows the State Council’s yearly schedule (updated with the system); provincial or company days can be imported from an ICS file or feed.',
  'schedules.calendar': 'Calendar',
  'schedules.follows': 'State Council schedule',
  'schedules.followsYes': 'Follows',
  'schedules.followsNo': 'Does not follow',
  'schedules.years': 'Years with a schedule',
  'schedules.noYears': 'None (round the clock, or not set)',
  'schedules.nextYear': '{year}',
  'schedules.covered': 'Known',
  'schedules.missing': 'Missing',
  'schedules.notNeeded': 'Not needed',
  'schedules.inUse': 'In use',
  'schedules.warning':
    'Calendar “{calendar}” has no holiday schedule for {year} yet: deadlines over New Year and Spring Festival would count the holidays as working days. Upgrade the system or import a {year} ICS calendar.',
  'schedules.warningTitle': '{count, plural, one {# calendar has no holiday schedule for next year} other {# calendars have no holiday schedule for next year}}',
  'schedules.open': 'Open SLA settings',
  'schedules.import': 'Import ICS',
  'schedules.importInto': 'Import into calendar',
  'schedules.source': 'Source',
  'schedules.sourceFile': 'ICS file',
  'schedules.sourceUrl': 'Feed URL',
  'schedules.file': 'ICS file',
  'schedules.chooseFile': 'Choose an .ics file',
  'schedules.fileChosen': '{name} chosen ({size} KB)',
  'schedules.fileHint': 'All-day events are days off; those marked 班 or “workday” are make-up working days. At most 240 KB; use a feed URL for larger files.',
  'schedules.fileTooLarge': 'The file is over 240 KB: use a feed URL instead',
  'schedules.fileRequired': 'Choose an ICS file',
  'schedules.url': 'Feed URL',
  'schedules.urlHint': 'An http(s) address, read once now (at most 1 MB, within 10 s).',
  'schedules.urlRequired': 'Enter the feed URL',
  'schedules.importing': 'Importing…',
  'schedules.imported':
    'Imported into “{calendar}”: {holidays, plural, one {# day off} other {# days off}}, {workdays, plural, one {# make-up working day} other {# make-up working days}}; skipped {skipped, plural, one {# event that is not all-day} other {# events that are not all-day}}. Running cases’ deadlines will be re-timed.',
};

registerCatalogue('admin-calendars', { 'zh-CN': CALENDARS_ZH, en: CALENDARS_EN });
