import { COMMON_ERRORS, defineErrors, errorsOf, type AllCatalogued } from '../errors.js';
import type { PhoneRefusal } from '../../domain/customers/phone.js';

/** The errors of the customers module (pure: the console bundles it). See app/errors.ts. */
export const CUSTOMER_ERRORS = defineErrors({
  CUSTOMER_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '客户不存在', en: 'Customer not found' },
  // Why a typed phone number is refused (domain/customers/phone.ts): field errors of the request.
  PHONE_FORMAT: {
    status: 400,
    code: 'VALIDATION_FAILED',
    'zh-CN': '请填写 11 位手机号，或带区号的固定电话（如 0571-88886666）',
    en: 'Enter an 11-digit mobile number, or a landline with its area code (such as 0571-88886666)',
  },
  PHONE_MOBILE_LENGTH: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '手机号应为 11 位，这里是 {digits} 位', en: 'A mobile number has 11 digits; this one has {digits}' },
  PHONE_AREA_CODE_MISSING: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '固定电话请加上区号，如 0571-88886666', en: 'Add the area code to a landline number, such as 0571-88886666' },
  PHONE_LOCAL_NUMBER_LENGTH: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '区号 {areaCode} 后的号码应为 7 或 8 位', en: 'The number after area code {areaCode} has 7 or 8 digits' },
  PHONE_EXTENSION: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '请去掉分机号（来电号码不带分机，可写在备注里）', en: 'Leave out the extension (a caller’s number has none; note it in the description)' },
  CUSTOMER_PHONE_TAKEN: { status: 409, code: 'CONFLICT', 'zh-CN': '该电话号码已登记为客户：{customerId}', en: 'A customer with this phone number exists: {customerId}' },
});

/** Every refusal of the phone rules has its message here. */
export type EveryPhoneRefusalIsCatalogued = AllCatalogued<Exclude<PhoneRefusal, keyof typeof CUSTOMER_ERRORS>>;

export const customerError = errorsOf({ ...COMMON_ERRORS, ...CUSTOMER_ERRORS });
