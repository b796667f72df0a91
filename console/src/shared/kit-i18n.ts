/** The shared widgets' words (namespace `kit`): the unit picker and the list filter bar. */
import { registerCatalogue } from './i18n.js';

export const KIT_ZH = {
  'unitPicker.label': '房号',
  'unitPicker.placeholder': '楼栋 / 房号',
  'unitPicker.projectFirst': '请先选择项目',
  'unitPicker.area': '{area} 平方米',
  'filterBar.label': '筛选',
};

export const KIT_EN: Record<KitMessageKey, string> = {
  'unitPicker.label': 'Unit',
  'unitPicker.placeholder': 'Building / room',
  'unitPicker.projectFirst': 'Choose the project first',
  'unitPicker.area': '{area} m²',
  'filterBar.label': 'Filters',
};

export type KitMessageKey = keyof typeof KIT_ZH;

registerCatalogue('kit', { 'zh-CN': KIT_ZH, en: KIT_EN });
