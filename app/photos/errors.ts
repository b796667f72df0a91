import { COMMON_ERRORS, defineErrors, errorsOf } from '../errors.js';

/**
 * The errors of photo uploads and downloads (pure: the console bundles it). See app/errors.ts.
 * Uploads are judged by their bytes, never by their name or declared type.
 */
export const PHOTO_ERRORS = defineErrors({
  PHOTO_TOO_LARGE: { status: 413, 'zh-CN': '照片过大', en: 'Photo too large' },
  PHOTO_SIZE_OVER_LIMIT: {
    status: 413,
    code: 'PHOTO_TOO_LARGE',
    'zh-CN': '照片不能超过 {maxMegabytes} MB（此文件 {megabytes} MB）',
    en: 'A photo may be at most {maxMegabytes} MB (this file is {megabytes} MB)',
  },
  PHOTO_PIXELS_OVER_LIMIT: {
    status: 413,
    code: 'PHOTO_TOO_LARGE',
    'zh-CN': '照片像素不能超过 {maxMegapixels} 百万（此照片 {megapixels} 百万）',
    en: 'A photo may have at most {maxMegapixels} megapixels (this one has {megapixels})',
  },
  PHOTO_TYPE_NOT_ALLOWED: { status: 415, 'zh-CN': '仅支持 JPEG、PNG、WebP 格式的照片', en: 'Only JPEG, PNG and WebP photos are accepted' },
  PHOTO_TYPE_DETECTED: {
    status: 415,
    code: 'PHOTO_TYPE_NOT_ALLOWED',
    'zh-CN': '此文件的内容是 {detected}，请上传 JPEG、PNG 或 WebP 格式的照片',
    en: 'This file holds {detected}; upload a JPEG, PNG or WebP photo',
  },
  PHOTO_TYPE_UNKNOWN: {
    status: 415,
    code: 'PHOTO_TYPE_NOT_ALLOWED',
    'zh-CN': '无法识别此文件的内容，请上传 JPEG、PNG 或 WebP 格式的照片',
    en: 'The content of this file is not recognised; upload a JPEG, PNG or WebP photo',
  },
  // The image library's published build decodes no HEVC (HEIC is HEVC inside): say how to send a JPEG.
  PHOTO_HEIC_UNSUPPORTED: {
    status: 415,
    code: 'PHOTO_TYPE_NOT_ALLOWED',
    'zh-CN': '暂不支持 HEIC 照片：请在相机设置中选择“兼容性最佳”，或以 JPEG 格式分享后上传',
    en: 'HEIC photos are not accepted yet: set the camera to “Most Compatible”, or share the photo as JPEG, then upload it',
  },
  PHOTO_EMPTY: { status: 400, code: 'VALIDATION_FAILED', 'zh-CN': '文件为空', en: 'The file is empty' },
  PHOTO_UNREADABLE: { status: 422, 'zh-CN': '照片无法读取，文件可能已损坏', en: 'The photo cannot be read; the file may be damaged' },
  PHOTO_NOT_FOUND: { status: 404, code: 'NOT_FOUND', 'zh-CN': '照片不存在', en: 'Photo not found' },
  PHOTO_READ_DENIED: { status: 403, code: 'OUT_OF_SCOPE', 'zh-CN': '无权查看此记录的照片', en: 'You may not see the photos of this record' },
  PHOTO_STORE_UNAVAILABLE: { status: 503, code: 'DEPENDENCY_UNAVAILABLE', 'zh-CN': '照片存储暂不可用，请稍后重试', en: 'Photo storage is unavailable; retry shortly' },
});

export const photoError = errorsOf({ ...COMMON_ERRORS, ...PHOTO_ERRORS });
