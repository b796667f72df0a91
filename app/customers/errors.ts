import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the customers module (pure: the console bundles it). See app/errors.ts. */
export const CUSTOMER_ERRORS = defineErrors({
  CUSTOMER_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '客户不存在', en: 'Customer not found' },
  PHONE_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '须为 11 位大陆手机号或带 + 国家码的号码', en: 'A mainland mobile number (11 digits) or +country code number' },
  CUSTOMER_PHONE_TAKEN: { status: 409, code: 'CONFLICT', 'zh-CN': '该手机号客户已存在：{customerId}', en: 'A customer with this phone exists: {customerId}' },
});

export const customerError = errorsOf({ ...COMMON_ERRORS, ...CUSTOMER_ERRORS });
