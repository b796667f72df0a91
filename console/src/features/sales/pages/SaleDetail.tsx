/**
 * The sale page: who buys which unit at what price and how much is paid, the next deadline with a
 * live countdown and every open deadline (missed ones flagged), payments, the mortgage, inspection
 * and handover, linked repair cases, approvals, the actions the caller may take at this stage, and
 * the timeline in words. Times are shown in the project's time zone. The workflow decides whether
 * an action is accepted: a refusal comes back as a 409 problem with its code; nothing typed is lost.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../../domain/access.js';
import { CASE_STATUSES, type CaseStatus } from '../../../../../domain/cases/types.js';
import { isFinalSaleStage, type SaleStage } from '../../../../../domain/sales/types.js';
import { api, fieldErrorsOf, type FieldError, type Unit, type User } from '../../../api.js';
import { categoryName, useCategories } from '../../../case-ui.js';
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatDateTimeSeconds } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../icons.js';
import { useOrgLookups } from '../../../lookups.js';
import { mayReadRecordViews } from '../../../record-views-api.js';
import { Link } from '../../../router.js';
import { WhoViewedLink } from '../../../pages/RecordViews.js';
import { ApprovalFacts, SaleDecision } from '../components/SaleApproval.js';
import {
  PendingApprovalBadge,
  SaleCountdown,
  SaleStageBadge,
  deadlineName,
  describeSaleEvent,
  fenOf,
  formatFen,
  localInputToIso,
  parseAmount,
  parseArea,
  pctOfFen,
  paymentMethodName,
  projectTimeZone,
  saleDueState,
  saleRights,
  yuan,
  type SaleEventContext,
} from '../model.js';
import { salesApi, type MortgageEvent, type MortgageStatus, type Sale, type SaleDefect, type SaleEvent } from '../../../sales-api.js';
import { toMs, useNowMs } from '../../../sla.js';
import { Badge, Card, Field, IconButton, ProblemAlert, SuccessNotice } from '../../../ui.js';
import { refreshSale, useProjectUnits, useSale, useSaleAction, useSaleEvents, useSalesStaffQuery } from '../api.js';
import '../i18n.js';

const REFRESH_MS = 10_000;

type Action = 'contract' | 'filing' | 'payment' | 'mortgage' | 'switchFull' | 'inspection' | 'handover' | 'cancel' | 'changeUnit' | 'rename';

const ACTION_LABEL = {
  contract: 'saleAct.contract',
  filing: 'saleAct.filing',
  payment: 'saleAct.payment',
  mortgage: 'saleAct.mortgage',
  switchFull: 'saleAct.switchFull',
  inspection: 'saleAct.inspection',
  handover: 'saleAct.handover',
  cancel: 'saleAct.cancel',
  changeUnit: 'saleAct.changeUnit',
  rename: 'saleAct.rename',
} as const satisfies Record<Action, string>;

/** The stages after the contract in which the filing may be recorded (the workflow's AFTER_CONTRACT). */
const AFTER_CONTRACT: readonly SaleStage[] = ['contracted', 'paying', 'mortgage_pending', 'paid', 'inspection'];

/** The mortgage steps that may follow each status (the workflow's validator). */
const NEXT_MORTGAGE_EVENTS: Record<MortgageStatus, readonly MortgageEvent[]> = {
  awaiting_documents: ['documents_submitted'],
  documents_submitted: ['approved', 'rejected'],
  approved: ['disbursed'],
  rejected: [],
  disbursed: [],
};

/** The steps the caller may take now, by stage, payment method and role. */
function actionsFor(sale: Sale, rights: { work: boolean }): Action[] {
  if (!rights.work || isFinalSaleStage(sale.stage)) return [];
  const a: Action[] = [];
  const { stage } = sale;
  if (stage === 'subscribed') a.push('contract');
  if (AFTER_CONTRACT.includes(stage) && !sale.filing) a.push('filing');
  const payable: readonly SaleStage[] = sale.paymentMethod === 'full' ? ['contracted', 'paying'] : ['contracted', 'mortgage_pending'];
  if (payable.includes(stage)) a.push('payment');
  if (sale.paymentMethod === 'mortgage' && (stage === 'contracted' || stage === 'mortgage_pending') && sale.mortgage && NEXT_MORTGAGE_EVENTS[sale.mortgage.status].length > 0)
    a.push('mortgage');
  if (sale.paymentMethod === 'mortgage' && sale.mortgage?.status === 'rejected') a.push('switchFull');
  if (stage === 'inspection' && !sale.inspection) a.push('inspection');
  if (stage === 'inspection') a.push('handover');
  if (!hasPending(sale)) {
    a.push('cancel');
    if (stage === 'subscribed' || stage === 'contracted') a.push('changeUnit');
    a.push('rename');
  }
  return a;
}

const hasPending = (sale: Sale) => sale.pendingApproval !== null || sale.approvals.some((x) => x.status === 'pending');

export function SaleDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const lookups = useOrgLookups();
  const categories = useCategories();
  const qc = useQueryClient();
  const detail = useSale(id);
  const events = useSaleEvents(id);
  const staff = useSalesStaffQuery(user);
  const [notice, setNotice] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);
  const sale = detail.data;
  const decide = useSaleAction(id, ({ approvalId, decision, note }: { approvalId: string; decision: 'approve' | 'reject'; note: string }) =>
    salesApi.decide(id, approvalId, { decision, ...(note ? { note } : {}) }),
  );
  const units = useProjectUnits(sale?.project.id);

  const reloadAll = useCallback(() => {
    void detail.refetch();
    void events.refetch();
  }, [detail.refetch, events.refetch]); // eslint-disable-line react-hooks/exhaustive-deps

  const afterAction = useCallback(
    (message: string, updated?: Sale) => {
      setAction(null);
      setNotice(message);
      refreshSale(qc, id, updated);
    },
    [qc, id],
  );

  const userName = useCallback(
    (uid: string | null | undefined): string | null => {
      if (!uid) return null;
      if (uid === 'system') return t('sale.system');
      if (uid === user.id) return user.displayName;
      if (sale && uid === sale.owner.id && sale.owner.name) return sale.owner.name;
      // The events answer names every colleague it mentions (sales staff cannot read the staff list).
      return events.data?.names[uid] ?? (staff.data ?? []).find((u) => u.id === uid)?.displayName ?? null;
    },
    [t, user, sale, staff.data, events.data],
  );
  const unitName = useCallback(
    (unitId: string) => {
      const u = (units.data ?? []).find((x) => x.id === unitId);
      if (u) return `${u.buildingName} ${u.number}`;
      return sale && unitId === sale.unit.id ? sale.unit.number : null;
    },
    [units.data, sale],
  );

  if (!sale) {
    return (
      <div className="page">
        <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} withCode />
        {!detail.error ? (
          <div className="muted" role="status">
            <span className="spinner spinner-inline" aria-hidden="true" /> {t('app.loading')}
          </div>
        ) : null}
      </div>
    );
  }

  const tz = projectTimeZone(sale.project.id, lookups.projects);
  const rights = saleRights(user, sale, lookups.projects);
  const actions = actionsFor(sale, rights);
  const final = isFinalSaleStage(sale.stage);
  const buyer = sale.buyerName ?? sale.customer?.name ?? null;
  const ownerLabel = sale.owner.id === user.id ? user.displayName : (sale.owner.name ?? sale.owner.id.slice(0, 8));
  const paidPct = pctOfFen(fenOf(sale.paidTotal) ?? 0n, fenOf(sale.price) ?? 0n);
  const ctx: SaleEventContext = { t, lang, timeZone: tz, userName, unitName, categoryName: (code) => categoryName(code, lang, categories) };
  const canReadLeads = hasPermission(user.role, 'leads:read');

  return (
    <div className="page case-page sale-page" data-testid="sale-page" data-sale-id={sale.id} data-stage={sale.stage} data-owner-id={sale.owner.id}>
      <div className="breadcrumbs">
        <Link to={rights.approve || user.role === 'MANAGER' ? '/sales' : '/sales/mine'} className="back-link">
          <Icon name="back" size={16} /> {t('sale.back')}
        </Link>
      </div>
      <SuccessNotice message={notice} onClose={clearNotice} />
      <ProblemAlert error={detail.error} onRetry={() => void detail.refetch()} withCode />

      <section className="card case-head">
        <div className="case-head-top">
          <div>
            <h2 className="case-number mono" data-testid="sale-number">
              {sale.number}
            </h2>
            <div className="case-badges">
              <SaleStageBadge stage={sale.stage} />
              <Badge tone="grey" testId="sale-method">
                {paymentMethodName(sale.paymentMethod, t)}
              </Badge>
              {sale.pendingApproval ? <PendingApprovalBadge kind={sale.pendingApproval} /> : null}
            </div>
          </div>
          <IconButton icon="refresh" label={t('action.refresh')} onClick={reloadAll} testId="sale-refresh" />
        </div>
        {!sale.live && !final ? <p className="field-hint">{t('sale.notLive')}</p> : null}
        <dl className="detail-grid">
          <Detail label={t('sale.buyer')}>
            <span data-testid="sale-buyer">{buyer ?? '—'}</span> {sale.customer ? <span className="mono muted">{sale.customer.phone}</span> : null}
            {sale.customer && mayReadRecordViews(user) ? (
              <>
                {' '}
                <WhoViewedLink customerId={sale.customer.id} />
              </>
            ) : null}
            {sale.buyerName && sale.customer && sale.buyerName !== sale.customer.name ? (
              <div className="muted">{t('sale.renamedFrom', { name: sale.customer.name })}</div>
            ) : null}
          </Detail>
          <Detail label={t('sale.project')}>{sale.project.name ?? lookups.projectName(sale.project.id) ?? sale.project.id}</Detail>
          <Detail label={t('sale.unit')}>
            <span data-testid="sale-unit">{unitName(sale.unit.id) ?? sale.unit.number ?? '—'}</span>
          </Detail>
          <Detail label={t('sale.owner')}>
            <span data-testid="sale-owner">{ownerLabel}</span>
          </Detail>
          <Detail label={t('sale.price')}>
            <span data-testid="sale-price">{yuan(sale.price, lang)}</span>
          </Detail>
          <Detail label={t('sale.deposit')}>{yuan(sale.deposit, lang)}</Detail>
          <Detail label={t('sale.paid')}>
            <span data-testid="sale-paid">{yuan(sale.paidTotal, lang)}</span>
            {paidPct !== null ? (
              <div className="paid-progress">
                <progress max={100} value={Math.min(100, paidPct)} aria-label={t('sale.paidProgress', { pct: `${paidPct}%` })} />
                <span className="muted">{t('sale.paidProgress', { pct: `${paidPct}%` })}</span>
              </div>
            ) : null}
          </Detail>
          <Detail label={t('sale.outstanding')}>
            <span data-testid="sale-outstanding">{yuan(sale.outstanding, lang)}</span>
          </Detail>
          <Detail label={t('sale.contractArea')}>{sale.contractArea} m²</Detail>
          <Detail label={t('sale.createdAt')}>{formatDateTime(sale.createdAt, lang, tz)}</Detail>
          {sale.contract ? (
            <Detail label={t('sale.contract')}>
              <span className="mono" data-testid="sale-contract-no">
                {sale.contract.contractNo}
              </span>{' '}
              <span className="muted">{formatDateTime(sale.contract.signedAt, lang, tz)}</span>
            </Detail>
          ) : null}
          {sale.filing ? (
            <Detail label={t('sale.filing')}>
              <span className="mono">{sale.filing.filingNo}</span> <span className="muted">{formatDateTime(sale.filing.filedAt, lang, tz)}</span>
            </Detail>
          ) : null}
          {sale.leadId ? (
            <Detail label={t('sale.lead')}>
              {canReadLeads ? (
                <Link to={`/leads/${encodeURIComponent(sale.leadId)}`} className="strong-link" data-testid="sale-lead-link">
                  {t('nav.lead')}
                </Link>
              ) : (
                <span className="mono">{sale.leadId.slice(0, 8)}</span>
              )}
            </Detail>
          ) : null}
          {sale.closedAt ? <Detail label={t('sale.closedAt')}>{formatDateTime(sale.closedAt, lang, tz)}</Detail> : null}
        </dl>
        {sale.lapseReason || sale.cancelReason ? (
          <div className="case-description">
            <div className="detail-label">{sale.cancelReason ? t('sale.cancelReason') : t('sale.lapseReason')}</div>
            <p data-testid="sale-end-reason">{sale.cancelReason ?? (sale.lapseReason === 'contract_deadline' ? t('sev.lapse.contract_deadline') : sale.lapseReason)}</p>
          </div>
        ) : null}
        {tz !== DEFAULT_TIME_ZONE ? <p className="field-hint">{t('sale.timeZone', { tz })}</p> : null}
      </section>

      <div className="case-columns">
        <div className="case-main">
          <NextDeadlineCard sale={sale} timeZone={tz} />

          {sale.approvals.length > 0 ? (
            <Card title={t('sale.approvals')}>
              <div className="approval-list" data-testid="approvals">
                {[...sale.approvals].reverse().map((a) => (
                  <ApprovalFacts key={a.id} approval={a} timeZone={tz} userName={userName} unitName={unitName}>
                    {a.status === 'pending' && rights.approve ? (
                      <SaleDecision
                        busy={decide.isPending}
                        onDecide={(decision, note) =>
                          decide.mutate(
                            { approvalId: a.id, decision, note },
                            { onSuccess: (updated) => afterAction(t(`sale.decided.${decision}` as const, { kind: t(`approvalKind.${a.kind}` as const) }), updated) },
                          )
                        }
                      />
                    ) : null}
                    {a.status === 'pending' && rights.approve && decide.error ? <ProblemAlert error={decide.error} withCode /> : null}
                  </ApprovalFacts>
                ))}
              </div>
            </Card>
          ) : null}

          <Card title={t('sale.actions')}>
            {actions.length === 0 ? (
              <p className="muted" data-testid="no-actions">
                {!rights.work && !final ? t('sale.readOnly') : t('sale.noActions')}
              </p>
            ) : null}
            {rights.work && !final && hasPending(sale) ? <p className="field-hint">{t('sale.pendingBlocks')}</p> : null}
            {sale.paymentMethod === 'mortgage' && sale.mortgage?.status === 'rejected' && rights.work && !final ? (
              <p className="field-hint" data-testid="mortgage-rejected-hint">
                {t('saleAct.rejectedHint')}
              </p>
            ) : null}
            <div className="action-bar">
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={`btn${action === a ? ' btn-primary' : ''}${a === 'cancel' && action !== a ? ' btn-ghost-danger' : ''}`}
                  aria-pressed={action === a}
                  data-testid={`action-${a}`}
                  onClick={() => setAction(action === a ? null : a)}
                >
                  {t(ACTION_LABEL[a])}
                </button>
              ))}
            </div>
            {action && actions.includes(action) ? (
              <ActionForm
                key={action}
                action={action}
                sale={sale}
                timeZone={tz}
                units={units.data ?? []}
                unitsLoading={units.isLoading}
                categories={categories}
                onCancel={() => setAction(null)}
                onDone={(message, updated) => afterAction(message, updated)}
              />
            ) : null}
          </Card>

          <PaymentsCard sale={sale} timeZone={tz} userName={userName} />
          {sale.mortgage || sale.paymentMethod === 'mortgage' ? <MortgageCard sale={sale} timeZone={tz} /> : null}
          <HandoverCard sale={sale} timeZone={tz} categoryName={ctx.categoryName} />
          <CasesCard sale={sale} user={user} timeZone={tz} categoryName={ctx.categoryName} />
        </div>

        <Card title={t('sale.timeline')} className="case-timeline">
          <ProblemAlert error={events.error} onRetry={() => void events.refetch()} withCode />
          <Timeline events={events.data?.items ?? []} loading={events.isLoading} ctx={ctx} />
        </Card>
      </div>
    </div>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Deadlines

function NextDeadlineCard({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  const { t, lang } = useI18n();
  const now = useNowMs();
  const final = isFinalSaleStage(sale.stage);
  const next = sale.nextDeadline ? (sale.deadlines.find((d) => d.kind === sale.nextDeadline!.kind) ?? sale.nextDeadline) : null;
  const v = saleDueState(next, sale.stage, now);
  const deadlines = [...sale.deadlines].sort((a, b) => (toMs(a.dueAt) ?? 0) - (toMs(b.dueAt) ?? 0));
  return (
    <section className={`card next-touch next-touch-${v.state}`} data-testid="next-deadline" data-state={v.state} data-kind={sale.nextDeadline?.kind ?? ''}>
      <div className="next-touch-main">
        <div>
          <div className="detail-label">{t('sale.nextDeadline')}</div>
          {sale.nextDeadline ? (
            <div className="next-deadline-name" data-testid="next-deadline-name">
              {deadlineName(sale.nextDeadline.kind, t)}
            </div>
          ) : null}
          <div className="next-touch-countdown">
            <SaleCountdown deadline={next} stage={sale.stage} testId="sale-countdown" />
          </div>
        </div>
        <dl className="target-facts">
          {v.dueAt !== null ? (
            <>
              <dt>{t('sale.due')}</dt>
              <dd data-testid="next-deadline-due">{formatDateTime(new Date(v.dueAt), lang, timeZone)}</dd>
            </>
          ) : null}
          {!final ? (
            <>
              <dt>{t('sale.deliveryDate')}</dt>
              <dd>{formatDate(sale.deliveryDate, lang, timeZone)}</dd>
              <dt>{t('sale.inspectionAt')}</dt>
              <dd>{formatDateTime(sale.inspectionAt, lang, timeZone)}</dd>
            </>
          ) : null}
          {sale.nextProgressAt ? (
            <>
              <dt>{t('sale.nextProgress')}</dt>
              <dd>{formatDateTime(sale.nextProgressAt, lang, timeZone)}</dd>
            </>
          ) : null}
        </dl>
      </div>
      {final ? <p className="muted">{t('sale.ended')}</p> : deadlines.length === 0 ? <p className="muted">{t('sale.noDeadline')}</p> : null}
      {deadlines.length > 0 ? (
        <div className="table-wrap deadline-table">
          <table className="table" data-testid="deadlines">
            <caption className="visually-hidden">{t('sale.deadlines')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sale.deadline')}</th>
                <th scope="col">{t('sale.due')}</th>
                <th scope="col">{t('sale.remindAt')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {deadlines.map((d) => {
                const missed = d.missedAt !== null || (toMs(d.dueAt) ?? Infinity) <= now;
                return (
                  <tr key={d.kind} data-testid="deadline-row" data-kind={d.kind} data-missed={missed ? 'true' : 'false'} className={missed ? 'row-overdue' : d.reminded ? 'row-soon' : ''}>
                    <td>{deadlineName(d.kind, t)}</td>
                    <td className="nowrap">{formatDateTime(d.dueAt, lang, timeZone)}</td>
                    <td className="nowrap">
                      {formatDateTime(d.remindAt, lang, timeZone)} {d.reminded ? <span className="muted">· {t('sale.reminded')}</span> : null}
                    </td>
                    <td className="nowrap">
                      {missed ? (
                        <span title={d.missedAt ? t('sale.missedAt', { at: formatDateTime(d.missedAt, lang, timeZone) }) : undefined}>
                          <Badge tone="red" testId="deadline-missed">
                            {t('sale.missed')}
                          </Badge>
                        </span>
                      ) : (
                        <SaleCountdown deadline={d} stage={sale.stage} testId="deadline-countdown" />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Payments, mortgage, inspection and handover, cases

function PaymentsCard({ sale, timeZone, userName }: { sale: Sale; timeZone: string; userName: (id: string | null | undefined) => string | null }) {
  const { t, lang } = useI18n();
  return (
    <Card title={t('sale.payments')}>
      <div className="table-wrap">
        <table className="table" data-testid="payments">
          <thead>
            <tr>
              <th scope="col">{t('sale.paidAt')}</th>
              <th scope="col">{t('sale.source')}</th>
              <th scope="col" className="num">
                {t('sale.amount')}
              </th>
              <th scope="col">{t('sale.recordedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {sale.payments.map((p, i) => (
              <tr key={`${p.paidAt}-${i}`} data-source={p.source}>
                <td className="nowrap">{formatDateTime(p.paidAt, lang, timeZone)}</td>
                <td>{t(`paySource.${p.source}` as const)}</td>
                <td className="num nowrap">{yuan(p.amount, lang)}</td>
                <td>{userName(p.recordedBy) ?? p.recordedBy.slice(0, 8)}</td>
              </tr>
            ))}
            {sale.payments.length === 0 ? (
              <tr className="empty-row">
                <td colSpan={4}>{t('table.empty')}</td>
              </tr>
            ) : null}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('sale.paid')} / {t('sale.outstanding')}
              </th>
              <td className="num nowrap">
                <strong>{yuan(sale.paidTotal, lang)}</strong>
              </td>
              <td className="nowrap">{yuan(sale.outstanding, lang)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}

function MortgageCard({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  const { t, lang } = useI18n();
  const m = sale.mortgage;
  return (
    <Card title={t('sale.mortgage')}>
      {m ? (
        <dl className="detail-grid" data-testid="mortgage" data-status={m.status}>
          <Detail label={t('sale.mortgageStatus')}>
            <Badge tone={m.status === 'rejected' ? 'red' : m.status === 'disbursed' ? 'green' : m.status === 'approved' ? 'blue' : 'amber'} testId="mortgage-status">
              {t(`mortgageStatus.${m.status}` as const)}
            </Badge>
          </Detail>
          <Detail label={t('sale.bank')}>{m.bank ?? '—'}</Detail>
          <Detail label={t('sale.loan')}>{yuan(m.amount, lang)}</Detail>
          <Detail label={t('sale.documentsAt')}>{formatDateTime(m.documentsAt, lang, timeZone)}</Detail>
          <Detail label={t('sale.decidedAt')}>{formatDateTime(m.decidedAt, lang, timeZone)}</Detail>
          <Detail label={t('sale.disbursedAt')}>{formatDateTime(m.disbursedAt, lang, timeZone)}</Detail>
        </dl>
      ) : (
        <p className="muted">{t('mortgageStatus.awaiting_documents')}</p>
      )}
    </Card>
  );
}

function DefectList({ defects, categoryName }: { defects: readonly SaleDefect[]; categoryName: (code: string) => string }) {
  const { t } = useI18n();
  if (defects.length === 0) return <p className="muted">{t('sale.noDefects')}</p>;
  return (
    <ul className="defect-list" data-testid="defects">
      {defects.map((d, i) => (
        <li key={i}>
          <strong>{d.location}</strong> · <span className="muted">{categoryName(d.category)}</span>
          <div className="pre-wrap">{d.description}</div>
        </li>
      ))}
    </ul>
  );
}

function HandoverCard({ sale, timeZone, categoryName }: { sale: Sale; timeZone: string; categoryName: (code: string) => string }) {
  const { t, lang } = useI18n();
  const h = sale.handover;
  const settlement = h ? fenOf(h.areaSettlement) : null;
  return (
    <Card title={t('sale.handover')}>
      <dl className="detail-grid">
        <Detail label={t('sale.deliveryDate')}>{formatDate(sale.deliveryDate, lang, timeZone)}</Detail>
        <Detail label={t('sale.inspectionAt')}>{formatDateTime(sale.inspectionAt, lang, timeZone)}</Detail>
        {sale.inspection ? <Detail label={t('sale.inspectedAt')}>{formatDateTime(sale.inspection.inspectedAt, lang, timeZone)}</Detail> : null}
        {h ? (
          <>
            <Detail label={t('sale.handedOverAt')}>{formatDateTime(h.handedOverAt, lang, timeZone)}</Detail>
            <Detail label={t('sale.keys')}>{h.keysIssued}</Detail>
            <Detail label={t('sale.measuredArea')}>
              {h.measuredArea} m² <span className="muted">({t('sale.contractArea')} {sale.contractArea} m²)</span>
            </Detail>
            <Detail label={t('sale.areaDiff')}>
              {h.areaDifferencePct}% {h.beyondTolerance ? <Badge tone="red">{t('sale.beyondTolerance')}</Badge> : null}
            </Detail>
            <Detail label={t('sale.settlement')}>
              <span data-testid="area-settlement">
                {settlement === null
                  ? h.areaSettlement
                  : settlement > 0n
                    ? t('sale.settleBuyerPays', { amount: formatFen(settlement, lang) })
                    : settlement < 0n
                      ? t('sale.settleRefund', { amount: formatFen(-settlement, lang) })
                      : t('sale.settleNone')}
              </span>
            </Detail>
            {sale.ownerRegistered ? (
              <Detail label={t('sale.ownerRegistered')}>
                <Badge tone="green">{t('common.yes')}</Badge>
              </Detail>
            ) : null}
          </>
        ) : null}
      </dl>
      {sale.inspection ? (
        <div className="case-description">
          <div className="detail-label">
            {t('sale.inspection')} · {t('sale.defects')}
          </div>
          <DefectList defects={sale.inspection.defects} categoryName={categoryName} />
        </div>
      ) : null}
      {h ? (
        <div className="case-description">
          <div className="detail-label">
            {t('saleAct.handover')} · {t('sale.defects')}
          </div>
          <DefectList defects={h.defects} categoryName={categoryName} />
        </div>
      ) : null}
    </Card>
  );
}

function CasesCard({ sale, user, timeZone, categoryName }: { sale: Sale; user: User; timeZone: string; categoryName: (code: string) => string }) {
  const { t, lang } = useI18n();
  const canReadCases = hasPermission(user.role, 'cases:read');
  if (sale.cases.length === 0 && !sale.inspection && !sale.handover) return null;
  return (
    <Card title={t('sale.cases')}>
      {sale.cases.length === 0 ? (
        <p className="muted">{t('sale.casesEmpty')}</p>
      ) : (
        <ul className="defect-list" data-testid="sale-cases">
          {sale.cases.map((c) => (
            <li key={c.id} data-case-id={c.id}>
              {canReadCases ? (
                <Link to={`/cases/${encodeURIComponent(c.id)}`} className="strong-link mono" data-testid="sale-case-link">
                  {c.number}
                </Link>
              ) : (
                <span className="mono" data-testid="sale-case-number">
                  {c.number}
                </span>
              )}{' '}
              <Badge tone="grey">{(CASE_STATUSES as readonly string[]).includes(c.status) ? t(`caseStatus.${c.status as CaseStatus}` as const) : c.status}</Badge>{' '}
              <span className="muted">
                {categoryName(c.category)} · {formatDateTime(c.openedAt, lang, timeZone)}
              </span>
              <div className="pre-wrap">{c.description}</div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Actions

function useAction(onDone: (updated: Sale) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (call: () => Promise<Sale>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await call();
      setBusy(false);
      onDone(updated);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function FormButtons({ busy, onCancel, label, danger }: { busy: boolean; onCancel: () => void; label: string; danger?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
        {t('action.cancel')}
      </button>
      <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} data-testid="action-submit">
        {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
        {busy ? t('action.saving') : label}
      </button>
    </div>
  );
}

interface ActionFormProps {
  action: Action;
  sale: Sale;
  timeZone: string;
  units: Unit[];
  unitsLoading: boolean;
  categories: ReturnType<typeof useCategories>;
  onCancel: () => void;
  onDone: (message: string, updated: Sale) => void;
}

/** One form per action: validated here first (nothing sent that the API would refuse for its shape). */
function ActionForm({ action, sale, timeZone, units, unitsLoading, categories, onCancel, onDone }: ActionFormProps) {
  const { t, lang } = useI18n();
  const approvalKind = action === 'cancel' ? 'cancel' : action === 'changeUnit' ? 'change_unit' : action === 'rename' ? 'rename' : null;
  const { busy, error, run } = useAction((updated) =>
    onDone(approvalKind ? t('sale.requested', { kind: t(`approvalKind.${approvalKind}` as const) }) : t('sale.done'), updated),
  );
  const [values, setValues] = useState<Record<string, string>>(() => ({
    bank: sale.mortgage?.bank ?? '',
    keysIssued: '2',
    measuredArea: sale.contractArea,
    event: sale.mortgage ? (NEXT_MORTGAGE_EVENTS[sale.mortgage.status][0] ?? '') : '',
  }));
  const [defects, setDefects] = useState<SaleDefect[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const names = ['contractNo', 'signedAt', 'filingNo', 'amount', 'paidAt', 'event', 'bank', 'keysIssued', 'measuredArea', 'reason', 'unitId', 'buyerName', 'defects'];
  const { byField, rest } = fieldErrorsOf(error, names);
  const errs: Record<string, string | undefined> = { ...byField, ...local };
  const otherErrors: FieldError[] = rest;
  const set = (name: string) => (v: string) => setValues((s) => ({ ...s, [name]: v }));
  const v = (name: string) => values[name] ?? '';
  const ids = {
    a: useId(),
    b: useId(),
    c: useId(),
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const l: Record<string, string> = {};
    const required = (name: string) => {
      if (!v(name).trim()) l[name] = t('validation.required');
      return v(name).trim();
    };
    const optionalInstant = (name: string) => {
      if (!v(name)) return undefined;
      const iso = localInputToIso(v(name), timeZone);
      if (!iso) l[name] = t('validation.required');
      return iso ?? undefined;
    };
    const defectsOk = () => {
      defects.forEach((d, i) => {
        if (!d.location.trim() || !d.description.trim() || !d.category) l[`defects.${i}`] = t('validation.required');
      });
      return defects.map((d) => ({ location: d.location.trim(), description: d.description.trim(), category: d.category }));
    };
    let call: (() => Promise<Sale>) | null = null;
    switch (action) {
      case 'contract': {
        const contractNo = required('contractNo');
        const signedAt = optionalInstant('signedAt');
        call = () => salesApi.contract(sale.id, { contractNo, ...(signedAt ? { signedAt } : {}) });
        break;
      }
      case 'filing': {
        const filingNo = required('filingNo');
        call = () => salesApi.filing(sale.id, { filingNo });
        break;
      }
      case 'payment': {
        const amount = parseAmount(v('amount'));
        if (!amount) l.amount = t('lead.invalidMoney');
        const paidAt = optionalInstant('paidAt');
        call = () => salesApi.payment(sale.id, { amount: amount!, ...(paidAt ? { paidAt } : {}) });
        break;
      }
      case 'mortgage': {
        const event = v('event') as MortgageEvent;
        if (!event) l.event = t('validation.required');
        const bank = v('bank').trim();
        const amountText = v('amount').trim();
        const amount = amountText ? parseAmount(amountText) : null;
        if (event === 'approved' && !bank) l.bank = t('validation.required');
        if (event === 'approved' && !amount) l.amount = t('lead.invalidMoney');
        if (amountText && !amount) l.amount = t('lead.invalidMoney');
        const withAmount = event === 'approved' || event === 'disbursed';
        call = () => salesApi.mortgage(sale.id, { event, ...(bank ? { bank } : {}), ...(withAmount && amount ? { amount } : {}) });
        break;
      }
      case 'switchFull':
        call = () => salesApi.paymentMethod(sale.id, { paymentMethod: 'full' });
        break;
      case 'inspection': {
        const list = defectsOk();
        call = () => salesApi.inspection(sale.id, { defects: list });
        break;
      }
      case 'handover': {
        const keys = Number(v('keysIssued'));
        if (!/^\d{1,2}$/.test(v('keysIssued').trim()) || keys < 1 || keys > 50) l.keysIssued = t('saleAct.invalidKeys');
        const area = parseArea(v('measuredArea'));
        if (!area) l.measuredArea = t('saleAct.invalidArea');
        const list = defectsOk();
        call = () => salesApi.handover(sale.id, { keysIssued: keys, measuredArea: area!, ...(list.length ? { defects: list } : {}) });
        break;
      }
      case 'cancel': {
        const reason = required('reason');
        call = () => salesApi.cancel(sale.id, { reason });
        break;
      }
      case 'changeUnit': {
        const unitId = required('unitId');
        const reason = required('reason');
        call = () => salesApi.changeUnit(sale.id, { unitId, reason });
        break;
      }
      case 'rename': {
        const buyerName = required('buyerName');
        const reason = required('reason');
        call = () => salesApi.rename(sale.id, { buyerName, reason });
        break;
      }
    }
    setLocal(l);
    if (Object.keys(l).length > 0 || !call) return;
    void run(call);
  };

  const text = (name: string, label: string, opts: { required?: boolean; hint?: string; maxLength?: number; inputMode?: 'decimal' | 'numeric'; type?: string; id: string }) => (
    <Field label={label} htmlFor={opts.id} required={opts.required} error={errs[name]} {...(opts.hint ? { hint: opts.hint } : {})}>
      <input
        id={opts.id}
        name={name}
        type={opts.type ?? 'text'}
        autoComplete="off"
        inputMode={opts.inputMode}
        maxLength={opts.maxLength}
        value={v(name)}
        onChange={(e) => set(name)(e.target.value)}
      />
    </Field>
  );
  const reasonField = (hint: string) => (
    <Field label={t('saleAct.reason')} htmlFor={ids.c} required error={errs.reason} hint={hint}>
      <textarea id={ids.c} name="reason" rows={3} maxLength={500} value={v('reason')} onChange={(e) => set('reason')(e.target.value)} />
    </Field>
  );

  let body: ReactNode;
  const label = t(ACTION_LABEL[action]);
  let danger = false;
  switch (action) {
    case 'contract':
      body = (
        <div className="form-grid">
          {text('contractNo', t('saleAct.contractNo'), { required: true, maxLength: 60, id: ids.a })}
          {text('signedAt', t('saleAct.signedAt'), { type: 'datetime-local', hint: t('saleAct.signedAtHint'), id: ids.b })}
        </div>
      );
      break;
    case 'filing':
      body = <div className="form-grid">{text('filingNo', t('saleAct.filingNo'), { required: true, maxLength: 60, id: ids.a })}</div>;
      break;
    case 'payment':
      body = (
        <div className="form-grid">
          {text('amount', t('saleAct.amount'), { required: true, inputMode: 'decimal', hint: `${t('sale.outstanding')}: ${yuan(sale.outstanding, lang)}`, id: ids.a })}
          {text('paidAt', t('saleAct.paidAt'), { type: 'datetime-local', hint: t('saleAct.paidAtHint'), id: ids.b })}
        </div>
      );
      break;
    case 'mortgage': {
      const next = sale.mortgage ? NEXT_MORTGAGE_EVENTS[sale.mortgage.status] : [];
      const event = v('event');
      body = (
        <>
          <fieldset className="segmented" data-testid="mortgage-event">
            <legend>{t('saleAct.mortgageEvent')}</legend>
            {next.map((ev) => (
              <label key={ev} className={`segment${event === ev ? ' active' : ''}${ev === 'rejected' ? ' segment-danger' : ''}`}>
                <input type="radio" name="event" value={ev} checked={event === ev} onChange={() => set('event')(ev)} />
                {t(`saleAct.mev.${ev}` as const)}
              </label>
            ))}
          </fieldset>
          {errs.event ? (
            <div className="field-error" role="alert">
              {errs.event}
            </div>
          ) : null}
          <div className="form-grid">
            {text('bank', t('saleAct.bank'), { required: event === 'approved', maxLength: 60, id: ids.a })}
            {event === 'approved' || event === 'disbursed'
              ? text('amount', event === 'approved' ? t('saleAct.loanAmount') : t('saleAct.disbursedAmount'), {
                  required: event === 'approved',
                  inputMode: 'decimal',
                  id: ids.b,
                  ...(event === 'disbursed' ? { hint: `${t('saleAct.disbursedHint')}${sale.mortgage?.amount ? ` (${yuan(sale.mortgage.amount, lang)})` : ''}` } : {}),
                })
              : null}
          </div>
        </>
      );
      danger = event === 'rejected';
      break;
    }
    case 'switchFull':
      body = <p className="field-hint">{t('saleAct.switchFullHint')}</p>;
      break;
    case 'inspection':
      body = (
        <>
          <p className="field-hint">{t('saleAct.defectsHint')}</p>
          <DefectsEditor defects={defects} onChange={setDefects} categories={categories} errors={errs} />
        </>
      );
      break;
    case 'handover':
      body = (
        <>
          <div className="form-grid">
            {text('keysIssued', t('saleAct.keysIssued'), { required: true, inputMode: 'numeric', maxLength: 2, id: ids.a })}
            {text('measuredArea', t('saleAct.measuredArea'), { required: true, inputMode: 'decimal', hint: t('saleAct.measuredAreaHint', { area: sale.contractArea }), id: ids.b })}
          </div>
          <p className="field-hint">{t('saleAct.handoverDefectsHint')}</p>
          <DefectsEditor defects={defects} onChange={setDefects} categories={categories} errors={errs} />
        </>
      );
      break;
    case 'cancel':
      body = reasonField(`${t('saleAct.approvalHint')} ${t('saleAct.cancelHint')}`);
      danger = true;
      break;
    case 'changeUnit': {
      const available = units.filter((u) => u.status === 'AVAILABLE' && u.id !== sale.unit.id);
      body = (
        <>
          <Field label={t('saleAct.newUnit')} htmlFor={ids.a} required error={errs.unitId} hint={available.length === 0 && !unitsLoading ? t('newSale.noUnits') : t('newSale.unitHint')}>
            <select id={ids.a} name="unitId" value={v('unitId')} onChange={(e) => set('unitId')(e.target.value)} disabled={unitsLoading} data-testid="change-unit-select">
              <option value="">{unitsLoading ? t('app.loading') : t('common.choose')}</option>
              {available.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.buildingName} {u.number} · {u.area} m²
                </option>
              ))}
            </select>
          </Field>
          {reasonField(t('saleAct.approvalHint'))}
        </>
      );
      break;
    }
    case 'rename':
      body = (
        <>
          <div className="form-grid">{text('buyerName', t('saleAct.newBuyerName'), { required: true, maxLength: 60, id: ids.a })}</div>
          {reasonField(t('saleAct.approvalHint'))}
        </>
      );
      break;
  }

  return (
    <form className="form action-form" noValidate data-testid={`form-${action}`} onSubmit={submit}>
      <ProblemAlert error={error} extraErrors={otherErrors} withCode />
      {body}
      <FormButtons busy={busy} onCancel={onCancel} label={label} danger={danger} />
    </form>
  );
}

/** The repair categories a defect may name: the taxonomy's `repair` branch and building quality. */
function useDefectCategories(categories: ReturnType<typeof useCategories>) {
  return useMemo(
    () =>
      categories.filter(
        (c) => (c.code.startsWith('repair.') || c.code.startsWith('complaint.quality.')) && !categories.some((x) => x.parent === c.code),
      ),
    [categories],
  );
}

function DefectsEditor({
  defects,
  onChange,
  categories,
  errors,
}: {
  defects: SaleDefect[];
  onChange: (list: SaleDefect[]) => void;
  categories: ReturnType<typeof useCategories>;
  errors: Record<string, string | undefined>;
}) {
  const { t, lang } = useI18n();
  const options = useDefectCategories(categories);
  const baseId = useId();
  const update = (i: number, patch: Partial<SaleDefect>) => onChange(defects.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <fieldset className="defects-editor" data-testid="defects-editor">
      <legend>{t('saleAct.defects')}</legend>
      {defects.map((d, i) => {
        const err = errors[`defects.${i}`] ?? errors.defects;
        return (
          <div key={i} className={`defect-row${err ? ' has-error' : ''}`} data-testid="defect-row">
            <div className="form-grid">
              <Field label={t('saleAct.location')} htmlFor={`${baseId}-loc-${i}`} required hint={t('saleAct.locationHint')}>
                <input id={`${baseId}-loc-${i}`} name={`defects.${i}.location`} maxLength={120} value={d.location} onChange={(e) => update(i, { location: e.target.value })} />
              </Field>
              <Field label={t('saleAct.category')} htmlFor={`${baseId}-cat-${i}`} required>
                <select id={`${baseId}-cat-${i}`} name={`defects.${i}.category`} value={d.category} onChange={(e) => update(i, { category: e.target.value })}>
                  <option value="">{t('common.choose')}</option>
                  {options.map((c) => (
                    <option key={c.code} value={c.code}>
                      {categoryName(c.code, lang, categories)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <Field label={t('saleAct.description')} htmlFor={`${baseId}-desc-${i}`} required error={err}>
              <textarea id={`${baseId}-desc-${i}`} name={`defects.${i}.description`} rows={2} maxLength={2000} value={d.description} onChange={(e) => update(i, { description: e.target.value })} />
            </Field>
            <button type="button" className="btn btn-ghost btn-small btn-ghost-danger" onClick={() => onChange(defects.filter((_, j) => j !== i))} data-testid="defect-remove">
              {t('saleAct.removeDefect')}
            </button>
          </div>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => onChange([...defects, { location: '', description: '', category: '' }])} data-testid="defect-add">
        <Icon name="plus" size={14} /> {t('saleAct.addDefect')}
      </button>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------
// The timeline

function Timeline({ events, loading, ctx }: { events: SaleEvent[]; loading: boolean; ctx: SaleEventContext }) {
  const { t, lang } = ctx;
  if (events.length === 0) return <p className="muted">{loading ? t('table.loading') : t('table.empty')}</p>;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((e) => {
        const { title, details } = describeSaleEvent(e, ctx);
        const at = toMs(e.at);
        return (
          <li key={e.seq} className={`timeline-item timeline-${e.type.replace(/[^a-z_]+/g, '-')}`} data-testid="timeline-event" data-type={e.type}>
            <div className="timeline-head">
              <strong data-testid="timeline-title">{title}</strong>
              <span className="muted nowrap">{at !== null ? formatDateTimeSeconds(new Date(at), lang, ctx.timeZone) : '—'}</span>
            </div>
            <div className="timeline-actor muted">
              #{e.seq} · {e.actor === 'system' ? t('sale.system') : (e.actorName ?? ctx.userName(e.actor) ?? e.actor.slice(0, 8))}
            </div>
            {details.length > 0 ? (
              <ul className="timeline-details">
                {details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
