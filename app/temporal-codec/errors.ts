import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/** The errors of the Temporal payload codec endpoints (pure: the console bundles it). See app/errors.ts. */
export const CODEC_ERRORS = defineErrors({
  CODEC_GROUP_ADMIN_ONLY: {
    status: 403,
    code: 'OUT_OF_SCOPE',
    'zh-CN': '工作流数据属于全集团，须由集团管理员解密',
    en: 'Workflow payloads belong to the whole group: a group administrator decodes them',
  },
  BASE64_FORMAT: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '须为 base64 编码', en: 'Base64' },
  PAYLOAD_UNDECRYPTABLE: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '第 {index} 个载荷无法解密：{message}', en: 'Payload {index} cannot be decrypted: {message}' },
});

export const codecError = errorsOf({ ...COMMON_ERRORS, ...CODEC_ERRORS });
