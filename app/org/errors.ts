import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the organisation module: companies, projects, buildings, units (pure: the console bundles it). */
export const ORG_ERRORS = defineErrors({
  COMPANY_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '公司不存在', en: 'Company not found' },
  PROJECT_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '项目不存在', en: 'Project not found' },
  UNIT_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '房源不存在', en: 'Unit not found' },
  BUILDING_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '楼栋不存在', en: 'Building not found' },
  PROJECT_CODE_TAKEN: { status: 409, code: 'CONFLICT', 'zh-CN': '项目编码 {code} 已存在', en: 'Project code {code} already exists' },
  PROJECT_CODE_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '2–32 个字符，仅限字母、数字及 - _', en: 'Letters, digits, - and _, 2–32 characters' },
  DUPLICATE_BUILDING_NAME: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '楼栋名称重复：{building}', en: 'Duplicate building {building}' },
  DUPLICATE_UNIT_NUMBER: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '{building} 中房号重复：{unit}', en: 'Duplicate unit {unit} in {building}' },
});

export const orgError = errorsOf({ ...COMMON_ERRORS, ...ORG_ERRORS });
