/** The header search's words (namespace `search`). */
import { registerCatalogue } from '../../shared/i18n.js';

export const SEARCH_ZH = {
  'search.label': '搜索客户、工单、线索、销售或房源',
  'search.placeholder': '手机号、姓名、单号或房号（/ 或 Ctrl+K）',
  'search.placeholderShort': '搜索',
  'search.open': '打开搜索',
  'search.close': '关闭搜索',
  'search.hint': '输入手机号（任意格式）、客户姓名、工单/线索/销售单号，或房号如 1-302、1栋302',
  'search.searching': '正在搜索…',
  'search.empty': '没有找到与「{q}」相关的记录',
  'search.failed': '搜索失败，请稍后重试',
  'search.group.customer': '客户',
  'search.group.case': '工单',
  'search.group.lead': '线索',
  'search.group.sale': '销售',
  'search.group.unit': '房源',
  'search.more': '共 {total} 条，显示前 {shown} 条',
  'search.matched.name': '姓名匹配',
  'search.matched.phone': '电话匹配',
  'search.matched.number': '单号匹配',
  'search.matched.unit': '房号匹配',
  'search.owner': '业主 {name}',
} as const;

export const SEARCH_EN: Record<keyof typeof SEARCH_ZH, string> = {
  'search.label': 'Search customers, cases, leads, sales or units',
  'search.placeholder': 'Phone, name, number or unit (/ or Ctrl+K)',
  'search.placeholderShort': 'Search',
  'search.open': 'Open search',
  'search.close': 'Close search',
  'search.hint': 'Type a phone number (any format), a customer’s name, a case, lead or sale number, or a unit such as 1-302',
  'search.searching': 'Searching…',
  'search.empty': 'Nothing found for “{q}”',
  'search.failed': 'The search failed; try again shortly',
  'search.group.customer': 'Customers',
  'search.group.case': 'Cases',
  'search.group.lead': 'Leads',
  'search.group.sale': 'Sales',
  'search.group.unit': 'Units',
  'search.more': '{total} in all, first {shown} shown',
  'search.matched.name': 'name',
  'search.matched.phone': 'phone',
  'search.matched.number': 'number',
  'search.matched.unit': 'unit',
  'search.owner': 'Owner {name}',
};

export type SearchMessageKey = keyof typeof SEARCH_ZH;

registerCatalogue('search', { 'zh-CN': SEARCH_ZH, en: SEARCH_EN });
