/**
 * The libraries' providers in one place: TanStack Query's client, Ant Design's theme and locale
 * (zh_CN by default, en_US when the user switches), and antd's App context for messages and
 * notifications. The console's own language store is i18next (shared/i18n.ts).
 */
import { useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import enUSModule from 'antd/es/locale/en_US.js';
import type { Locale } from 'antd/es/locale/index.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { useI18n } from '../i18n.js';
import { createQueryClient } from '../shared/query.js';

// antd's locale files are ES modules without "type": "module": the type checker sees their CommonJS
// shape (the locale under `default`), the bundler the locale itself.
const unwrap = (m: unknown): Locale => ((m as { default?: Locale }).default ?? m) as Locale;
const zhCN = unwrap(zhCNModule);
const enUS = unwrap(enUSModule);

export const THEME = {
  token: {
    colorPrimary: '#1f5fbf',
    // antd's greys and red for hints, placeholders and errors fall under WCAG AA's 4.5:1 on white
    // (axe: color-contrast); these are the lightest that pass.
    colorTextDescription: '#666666',
    colorTextPlaceholder: '#767676',
    colorError: '#d32029',
    // antd derives hover as a lighter shade of the seed (#417dcc: 4.2:1, #e04648: 4.1:1 under white
    // text); hover and press go darker instead, so a solid button's label keeps AA while pointed at.
    colorPrimaryHover: '#174a96',
    colorPrimaryActive: '#103c7a',
    colorErrorHover: '#b81d25',
    colorErrorActive: '#9a1118',
    // Links follow antd's info blue (#1677ff: 4.1:1 on white), not the primary: give them the primary's shades.
    colorLink: '#1f5fbf',
    colorLinkHover: '#174a96',
    colorLinkActive: '#103c7a',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    // The label grey of Descriptions (colorTextTertiary) falls under 4.5:1 on white.
    Descriptions: { labelColor: '#666666' },
    Layout: { siderBg: '#16213a', headerBg: '#ffffff', headerPadding: '0 20px', headerHeight: 60 },
    Menu: { darkItemBg: '#16213a', darkSubMenuItemBg: '#111a2e', darkItemSelectedBg: '#1f5fbf' },
  },
} as const;

/**
 * Ant Design's own motion follows the system's "reduce motion" setting (token.motion = false; the
 * console's own transitions stop in styles.css). Browser tests run with reduced motion.
 */
const reducedMotion = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export function Providers({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  const [queryClient] = useState(createQueryClient);
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={reducedMotion ? { ...THEME, token: { ...THEME.token, motion: false } } : THEME}>
        <AntApp component={false}>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
