/** Small stroke icons (inline SVG elements, no icon font, nothing fetched). */
import type { ReactNode } from 'react';

export type IconName = 'dashboard' | 'projects' | 'companies' | 'customers' | 'users' | 'outbox' | 'logout' | 'globe' | 'clock' | 'plus' | 'search' | 'back' | 'refresh' | 'caseNew' | 'cases' | 'queue' | 'escalation' | 'chart' | 'settings' | 'download' | 'today' | 'leadNew' | 'leads' | 'pool' | 'review' | 'touch' | 'sale' | 'saleNew' | 'saleList' | 'approval' | 'pipeline';

const PATHS: Record<IconName, ReactNode> = {
  dashboard: (
    <>
      <rect x="3" y="3" width="7" height="9" rx="1.5" />
      <rect x="14" y="3" width="7" height="5" rx="1.5" />
      <rect x="14" y="12" width="7" height="9" rx="1.5" />
      <rect x="3" y="16" width="7" height="5" rx="1.5" />
    </>
  ),
  projects: (
    <>
      <path d="M3 21h18" />
      <path d="M5 21V8l7-5 7 5v13" />
      <path d="M9 10h1M14 10h1M9 14h1M14 14h1M10.5 21v-3h3v3" />
    </>
  ),
  companies: (
    <>
      <rect x="2.5" y="7" width="19" height="13" rx="2" />
      <path d="M8 7V5a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2M2.5 13h19" />
    </>
  ),
  customers: (
    <>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20v-1a5 5 0 0 1 5-5h3a5 5 0 0 1 5 5v1" />
      <path d="M16 4.5a3.5 3.5 0 0 1 0 7M18.5 14.2a5 5 0 0 1 3 4.8v1" />
    </>
  ),
  users: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1" />
    </>
  ),
  outbox: (
    <>
      <rect x="2.5" y="4.5" width="19" height="15" rx="2" />
      <path d="m3 6 9 7 9-7" />
    </>
  ),
  logout: (
    <>
      <path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4" />
      <path d="m16 17 5-5-5-5M21 12H9" />
    </>
  ),
  globe: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" />
    </>
  ),
  clock: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </>
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  search: (
    <>
      <circle cx="11" cy="11" r="7" />
      <path d="m20 20-3.5-3.5" />
    </>
  ),
  back: <path d="M15 18l-6-6 6-6" />,
  caseNew: (
    <>
      <path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z" />
      <path d="M14 3v6h6M12 12v6M9 15h6" />
    </>
  ),
  cases: (
    <>
      <rect x="4" y="3" width="16" height="18" rx="2" />
      <path d="M8 8h8M8 12h8M8 16h5" />
    </>
  ),
  queue: (
    <>
      <path d="M4 6h16M4 12h12M4 18h8" />
      <circle cx="19" cy="17" r="3" />
      <path d="M19 15.5V17l1 .8" />
    </>
  ),
  escalation: (
    <>
      <path d="M12 20V5M6 11l6-6 6 6" />
      <path d="M5 21h14" />
    </>
  ),
  chart: (
    <>
      <path d="M3 21h18" />
      <rect x="5" y="11" width="3" height="7" rx="0.5" />
      <rect x="10.5" y="6" width="3" height="12" rx="0.5" />
      <rect x="16" y="9" width="3" height="9" rx="0.5" />
    </>
  ),
  settings: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1" />
    </>
  ),
  download: (
    <>
      <path d="M12 4v11M7 10l5 5 5-5" />
      <path d="M5 20h14" />
    </>
  ),
  refresh: (
    <>
      <path d="M20 11a8 8 0 0 0-14.9-3.5M4 4v4h4" />
      <path d="M4 13a8 8 0 0 0 14.9 3.5M20 20v-4h-4" />
    </>
  ),
  today: (
    <>
      <rect x="3" y="4.5" width="18" height="16" rx="2" />
      <path d="M3 9.5h18M8 2.5v4M16 2.5v4" />
      <path d="m9 15 2 2 4-4" />
    </>
  ),
  leadNew: (
    <>
      <circle cx="10" cy="8" r="3.5" />
      <path d="M3.5 20v-1a5 5 0 0 1 5-5h3a5 5 0 0 1 3 1" />
      <path d="M18 13v7M14.5 16.5h7" />
    </>
  ),
  leads: (
    <>
      <path d="M4 5h16l-6 7.5V19l-4 2v-8.5z" />
    </>
  ),
  pool: (
    <>
      <path d="M3 10h18l-2 9a2 2 0 0 1-2 1.5H7A2 2 0 0 1 5 19z" />
      <circle cx="9" cy="6" r="2" />
      <circle cx="15" cy="5" r="2" />
      <path d="M3 14c3 1.5 6 1.5 9 0s6-1.5 9 0" />
    </>
  ),
  review: (
    <>
      <path d="M9 4H6a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-3" />
      <rect x="9" y="2.5" width="6" height="3.5" rx="1" />
      <path d="m9 14 2 2 4-4.5" />
    </>
  ),
  touch: (
    <>
      <path d="M5 4h3.5l1.5 4-2 1.5a11 11 0 0 0 6.5 6.5l1.5-2 4 1.5V19a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z" />
    </>
  ),
  sale: (
    <>
      <path d="M3 11.5 12 4l9 7.5" />
      <path d="M5.5 9.5V20h13V9.5" />
      <circle cx="10.5" cy="14.5" r="2" />
      <path d="m12 15.5 3.5 3.5M14 17.5l1-1" />
    </>
  ),
  saleNew: (
    <>
      <path d="M3 11.5 12 4l9 7.5" />
      <path d="M5.5 9.5V20h13V9.5M12 11.5v6M9 14.5h6" />
    </>
  ),
  saleList: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M7 9h2M11 9h6M7 13h2M11 13h6M7 17h2M11 17h6" />
    </>
  ),
  approval: (
    <>
      <path d="M9 3h6v4.5a2 2 0 0 0 .8 1.6L18 11v2H6v-2l2.2-1.9A2 2 0 0 0 9 7.5z" />
      <path d="M5 17h14M7 21h10" />
    </>
  ),
  pipeline: (
    <>
      <path d="M3 5h18l-3 4H6z" />
      <path d="M6.5 11h11l-2.5 4h-6z" />
      <path d="M10 17h4l-1 3h-2z" />
    </>
  ),
};

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
