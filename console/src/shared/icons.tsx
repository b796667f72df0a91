/**
 * The console's icons by name, from Ant Design's icon set (@ant-design/icons): the sidebar and the
 * home page's shortcuts name theirs in nav.ts (plain data the tests read in Node), pages may name
 * one too. Icons are decorative here — the text beside them says what they mean — so they are
 * hidden from assistive technology.
 */
import {
  ApartmentOutlined,
  AppstoreAddOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  DownloadOutlined,
  FileAddOutlined,
  FunnelPlotOutlined,
  GlobalOutlined,
  InboxOutlined,
  KeyOutlined,
  LeftOutlined,
  LogoutOutlined,
  MailOutlined,
  PhoneOutlined,
  PlusOutlined,
  ProfileOutlined,
  ReloadOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  SettingOutlined,
  SolutionOutlined,
  TableOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserAddOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ComponentType, CSSProperties } from 'react';

const ICONS = {
  dashboard: DashboardOutlined,
  projects: BankOutlined,
  companies: ApartmentOutlined,
  customers: TeamOutlined,
  users: UserOutlined,
  outbox: MailOutlined,
  logout: LogoutOutlined,
  globe: GlobalOutlined,
  clock: ClockCircleOutlined,
  plus: PlusOutlined,
  search: SearchOutlined,
  back: LeftOutlined,
  refresh: ReloadOutlined,
  caseNew: FileAddOutlined,
  cases: ProfileOutlined,
  queue: UnorderedListOutlined,
  escalation: RiseOutlined,
  chart: BarChartOutlined,
  settings: SettingOutlined,
  download: DownloadOutlined,
  today: CalendarOutlined,
  leadNew: UserAddOutlined,
  leads: SolutionOutlined,
  pool: InboxOutlined,
  review: AuditOutlined,
  touch: PhoneOutlined,
  sale: KeyOutlined,
  saleNew: AppstoreAddOutlined,
  saleList: TableOutlined,
  approval: SafetyCertificateOutlined,
  pipeline: FunnelPlotOutlined,
} satisfies Record<string, ComponentType<{ style?: CSSProperties; 'aria-hidden'?: boolean }>>;

export type IconName = keyof typeof ICONS;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  const Glyph = ICONS[name];
  return <Glyph style={{ fontSize: size }} aria-hidden />;
}
