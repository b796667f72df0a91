/**
 * The login page's catalogue (namespace `auth`).
 * Chinese defines the keys; English must have exactly the same ones (checked by the compiler).
 */
import { registerCatalogue } from '../../shared/i18n.js';

export const AUTH_ZH = {
  'login.title': '登录',
  'login.subtitle': '请使用您的员工账号登录',
  'login.tagline': '房地产客户服务与销售的一体化工作台',
  'login.point.cases': '投诉报修三级升级，时限全程可追踪',
  'login.point.leads': '线索分级跟进，节奏自动提醒',
  'login.point.sales': '认购、签约、按揭到交付全流程',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.expired': '登录已过期，请重新登录。',
  'login.loggedOut': '您已安全退出。',
} as const;

export type AuthMessageKey = keyof typeof AUTH_ZH;

export const AUTH_EN: Record<AuthMessageKey, string> = {
  'login.title': 'Sign in',
  'login.subtitle': 'Sign in with your staff account',
  'login.tagline': 'One workspace for real-estate customer service and sales',
  'login.point.cases': 'Three-tier escalation of complaints and repairs, every deadline tracked',
  'login.point.leads': 'Graded lead follow-up with automatic reminders',
  'login.point.sales': 'Subscription, contract, mortgage and handover in one flow',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.expired': 'Your session has expired. Please sign in again.',
  'login.loggedOut': 'You have been signed out.',
};

registerCatalogue('auth', { 'zh-CN': AUTH_ZH, en: AUTH_EN });
