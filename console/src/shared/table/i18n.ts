/** The list kit's words (namespace `table`): the column chooser and the row count. */
import { registerCatalogue } from '../i18n.js';

export const TABLE_ZH = {
  'table.columns': '列',
  'table.columnsHint': '选择要显示的列（保存在本机）',
  'table.columnsReset': '恢复默认列',
  'table.total': '{n, plural, other {共 # 条}}',
  'table.range': '第 {from}–{to} 条，共 {n} 条',
};

export const TABLE_EN: Record<TableMessageKey, string> = {
  'table.columns': 'Columns',
  'table.columnsHint': 'Choose the columns to show (kept on this device)',
  'table.columnsReset': 'Default columns',
  'table.total': '{n, plural, one {# item} other {# items}}',
  'table.range': '{from}–{to} of {n}',
};

export type TableMessageKey = keyof typeof TABLE_ZH;

registerCatalogue('table', { 'zh-CN': TABLE_ZH, en: TABLE_EN });
