/**
 * 工单派工 on the case page (issue 15): the case's work orders (number, status, 保内/保外, who holds
 * it, the appointment, the quote in yuan) and, for dispatchers while the case is open, the steps a
 * handler used to do by hand against the API: dispatch a new order (the case's category and the
 * default assignee unless picked), issue a quote out of warranty, record the owner's answer
 * (a refusal is confirmed first: it cancels the order, and closes the case when it is its only
 * one), assign or reassign (the dispatch board's dialog) and cancel with a reason. A list, not a
 * table: it reads on a 390 px phone without sideways scrolling. Every submit keeps its
 * Idempotency-Key across retries of the same attempt.
 */
import { useMemo, useRef, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { hasPermission } from '../../../../../domain/access.js';
import type { Category } from '../../../../../domain/cases/categories.js';
import { CancelBody, IssueQuoteBody } from '../../../../../api/repairs/schemas.js';
import { uuid, type FieldError, type User } from '../../../api.js';
import { formatDateTime, formatMoney } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { casesKeys } from '../api.js';
import { categoryName } from '../categories.js';
import {
  useAnswerQuote,
  useCancelWorkOrder,
  useCreateWorkOrders,
  useIssueQuote,
  useWorkOrderAssignees,
  useWorkOrderList,
  workOrderKeys,
  type WorkOrder,
} from '../../workorders/api.js';
import { AssignDialog, type AssigneeOption } from '../../workorders/components/AssignDialog.js';
import { WorkOrderStatus } from '../../workorders/components/JobBits.js';
import { CategoryCascader } from './CategoryCascader.js';
import type { CaseView } from '../model.js';
import '../../workorders/i18n.js';
import '../../workorders/workorders.css';

type Dialog = { kind: 'create' } | { kind: 'assign' | 'quote' | 'cancel'; order: WorkOrder };

const ENDED_CASE = ['resolved', 'closed'];
const ENDED_ORDER = ['done', 'cancelled'];

/** Whether the user sees the card at all (work-orders:read) and only for repairs and complaints. */
export function showsCaseWorkOrders(c: Pick<CaseView, 'type'>, user: User): boolean {
  return hasPermission(user.role, 'work-orders:read') && (c.type === 'repair' || c.type === 'complaint');
}

const fen = (n: number) => n / 100;

export function CaseWorkOrders({ c, user, categories }: { c: CaseView; user: User; categories: readonly Category[] }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const list = useWorkOrderList({ caseId: c.id });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const dispatcher = hasPermission(user.role, 'work-orders:dispatch');
  const mayDispatch = dispatcher && !ENDED_CASE.includes(c.status);
  const assignees = useWorkOrderAssignees(dispatcher && c.projectId ? c.projectId : null);
  const options = useMemo<AssigneeOption[]>(
    () => [
      ...(assignees.data?.technicians ?? []).map((u) => ({ kind: 'technician' as const, id: u.id, name: u.name })),
      ...(assignees.data?.contractors ?? []).map((x) => ({ kind: 'contractor' as const, id: x.id, name: x.name })),
    ],
    [assignees.data],
  );

  // Lists read the read model, which the order's workflow brings up a moment after each step; the
  // case's status and trail too (a refused quote on its only order closes the case).
  const settle = () => {
    for (const ms of [800, 2500, 6000])
      window.setTimeout(() => {
        void qc.invalidateQueries({ queryKey: workOrderKeys.all });
        void qc.invalidateQueries({ queryKey: casesKeys.detail(c.id) });
        void qc.invalidateQueries({ queryKey: casesKeys.events(c.id) });
      }, ms);
  };
  const close = () => setDialog(null);
  const orders = list.data?.items ?? [];

  return (
    <Card
      title={t('caseWo.title')}
      data-testid="case-work-orders"
      extra={
        mayDispatch ? (
          <Button type="primary" data-testid="case-wo-dispatch" onClick={() => setDialog({ kind: 'create' })}>
            {t('caseWo.dispatch')}
          </Button>
        ) : null
      }
    >
      {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isLoading ? null : orders.length === 0 ? (
        <Typography.Paragraph type="secondary" data-testid="case-wo-none" style={{ margin: 0 }}>
          {t('caseWo.none')}
        </Typography.Paragraph>
      ) : (
        <ul className="case-wo-list">
          {orders.map((w) => (
            <OrderRow key={w.id} w={w} categories={categories} actions={mayDispatch} onDialog={setDialog} onSettle={settle} />
          ))}
        </ul>
      )}
      {dialog?.kind === 'create' ? <CreateDialog c={c} categories={categories} options={options} onClose={close} onDone={settle} /> : null}
      {dialog?.kind === 'assign' ? (
        <AssignDialog
          order={dialog.order}
          options={options}
          onClose={() => {
            close();
            settle();
          }}
        />
      ) : null}
      {dialog?.kind === 'quote' ? <QuoteDialog order={dialog.order} onClose={close} onDone={settle} /> : null}
      {dialog?.kind === 'cancel' ? <CancelDialog order={dialog.order} onClose={close} onDone={settle} /> : null}
    </Card>
  );
}

function OrderRow({
  w,
  categories,
  actions,
  onDialog,
  onSettle,
}: {
  w: WorkOrder;
  categories: readonly Category[];
  actions: boolean;
  onDialog: (d: Dialog) => void;
  onSettle: () => void;
}) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const answer = useAnswerQuote(w.id);
  const keyRef = useRef(uuid());
  const open = !ENDED_ORDER.includes(w.status);
  const pendingQuote = w.quote?.status === 'pending' && w.status === 'awaiting_quote';

  const record = async (accepted: boolean) => {
    try {
      await answer.mutateAsync({ body: { accepted }, key: keyRef.current });
      keyRef.current = uuid();
      void message.success({ content: t(accepted ? 'caseWo.accepted' : 'caseWo.refused'), key: 'case-wo' });
      onSettle();
    } catch {
      keyRef.current = uuid();
    }
  };
  const refuse = () =>
    modal.confirm({
      title: t('caseWo.refuseTitle'),
      content: t('caseWo.refuseBody', { number: w.number }),
      okText: t('caseWo.refuseOk'),
      okButtonProps: { danger: true, 'data-testid': 'case-wo-refuse-ok' },
      cancelText: t('caseWo.close'),
      onOk: () => record(false),
    });

  return (
    <li className="case-wo" data-testid="case-wo" data-wo-id={w.id} data-status={w.status}>
      <Space wrap size={[8, 4]}>
        <span className="mono" data-testid="case-wo-number">
          {w.number}
        </span>
        <WorkOrderStatus status={w.status} />
        <Tag color={w.warranty.covered ? '#237804' : '#ad4e00'} data-testid="case-wo-warranty" data-covered={String(w.warranty.covered)}>
          {t(w.warranty.covered ? 'warranty.in' : 'warranty.out')}
        </Tag>
        <Typography.Text type="secondary">{categoryName(w.category, lang, categories)}</Typography.Text>
      </Space>
      <div className="case-wo-facts">
        <span>
          <Typography.Text type="secondary">{t('caseWo.assignee')}: </Typography.Text>
          <span data-testid="case-wo-assignee">{w.assignee ? (w.assignee.name ?? w.assignee.id) : t('caseWo.unassigned')}</span>
        </span>
        {w.appointment ? (
          <span>
            <Typography.Text type="secondary">{t('caseWo.appointment')}: </Typography.Text>
            {formatDateTime(w.appointment.start, lang)}
          </span>
        ) : null}
        {w.quote ? (
          <span data-testid="case-wo-quote" data-quote-status={w.quote.status} data-total-fen={w.quote.totalFen}>
            {t(`caseWo.quote.${w.quote.status}`)} · {formatMoney(fen(w.quote.totalFen), lang)}
          </span>
        ) : null}
      </div>
      {answer.error ? <ProblemAlert error={answer.error} withCode /> : null}
      {actions && open ? (
        <Space wrap size={8} className="case-wo-actions">
          {w.status === 'awaiting_quote' ? (
            <Button size="small" data-testid="case-wo-quote-issue" onClick={() => onDialog({ kind: 'quote', order: w })}>
              {t('caseWo.issueQuote')}
            </Button>
          ) : null}
          {pendingQuote ? (
            <>
              <Button size="small" type="primary" data-testid="case-wo-accept" loading={answer.isPending} onClick={() => void record(true)}>
                {t('caseWo.accept')}
              </Button>
              <Button size="small" danger data-testid="case-wo-refuse" disabled={answer.isPending} onClick={refuse}>
                {t('caseWo.refuse')}
              </Button>
            </>
          ) : null}
          {w.status !== 'awaiting_quote' ? (
            <Button size="small" data-testid="case-wo-assign" onClick={() => onDialog({ kind: 'assign', order: w })}>
              {w.assignee ? t('dispatch.reassign') : t('dispatch.assign')}
            </Button>
          ) : null}
          <Button size="small" data-testid="case-wo-cancel" onClick={() => onDialog({ kind: 'cancel', order: w })}>
            {t('caseWo.cancel')}
          </Button>
        </Space>
      ) : null}
    </li>
  );
}

const valueOf = (o: AssigneeOption) => `${o.kind}:${o.id}`;

function CreateDialog({
  c,
  categories,
  options,
  onClose,
  onDone,
}: {
  c: CaseView;
  categories: readonly Category[];
  options: readonly AssigneeOption[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const create = useCreateWorkOrders(c.id);
  const keyRef = useRef(uuid());
  const [category, setCategory] = useState<string | undefined>(c.category);
  const [assignee, setAssignee] = useState<string | undefined>(undefined);
  const grouped = useMemo(
    () =>
      (['technician', 'contractor'] as const)
        .map((kind) => ({
          label: t(kind === 'technician' ? 'dispatch.technicians' : 'dispatch.contractors'),
          options: options.filter((o) => o.kind === kind).map((o) => ({ value: valueOf(o), label: o.name })),
        }))
        .filter((g) => g.options.length > 0),
    [options, t],
  );

  const submit = async () => {
    const picked = options.find((o) => valueOf(o) === assignee);
    const order = {
      ...(category && category !== c.category ? { category } : {}),
      ...(picked ? { assignee: picked.kind === 'technician' ? { kind: 'technician' as const, userId: picked.id } : { kind: 'contractor' as const, companyId: picked.id } } : {}),
    };
    try {
      const answer = await create.mutateAsync({ body: { orders: [order] }, key: keyRef.current });
      void message.success({ content: <span data-testid="case-wo-created">{t('caseWo.created', { number: answer.items.map((w) => w.number).join(', ') })}</span>, key: 'case-wo' });
      onDone();
      onClose();
    } catch {
      // A refusal is final for this attempt: the next submit is a new request.
      keyRef.current = uuid();
    }
  };

  return (
    <Modal open title={t('caseWo.dispatchTitle')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="case-wo-form">
        {create.error ? <ProblemAlert error={create.error} withCode /> : null}
        <Form.Item label={t('caseWo.category')} htmlFor="wo-category" extra={t('caseWo.categoryHint')} required>
          <CategoryCascader id="wo-category" root={c.type} value={category} onChange={setCategory} categories={categories} />
        </Form.Item>
        <Form.Item label={t('caseWo.assignee')} htmlFor="wo-assignee" extra={t('caseWo.assigneeHint')}>
          <Select
            id="wo-assignee"
            data-testid="case-wo-assignee-select"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('caseWo.assigneeDefault')}
            aria-label={t('caseWo.assignee')}
            value={assignee}
            onChange={(v: string | undefined) => setAssignee(v)}
            options={grouped}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <div className="field-actions">
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="case-wo-submit">
            {t('caseWo.submit')}
          </Button>
          <Button onClick={onClose}>{t('dispatch.cancel')}</Button>
        </div>
      </Form>
    </Modal>
  );
}

interface ItemRow {
  key: string;
  description: string;
  yuan: number | null;
}

/** Yuan as typed (at most two decimals) to whole fen; null when it is not such an amount above 0. */
export function yuanToFen(yuan: number | null): number | null {
  if (yuan === null || !Number.isFinite(yuan) || yuan <= 0) return null;
  const f = Math.round(yuan * 100);
  return Math.abs(f - yuan * 100) < 1e-6 ? f : null;
}

function QuoteDialog({ order, onClose, onDone }: { order: WorkOrder; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const issue = useIssueQuote(order.id);
  const keyRef = useRef(uuid());
  const [rows, setRows] = useState<ItemRow[]>(() =>
    order.quote && order.quote.items.length > 0 ? order.quote.items.map((i) => ({ key: uuid(), description: i.description, yuan: fen(i.amountFen) })) : [{ key: uuid(), description: '', yuan: null }],
  );
  const [checked, setChecked] = useState(false);
  const [rest, setRest] = useState<FieldError[]>([]);
  const totalFen = rows.reduce((sum, r) => sum + (yuanToFen(r.yuan) ?? 0), 0);
  const change = (key: string, patch: Partial<ItemRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = async () => {
    setChecked(true);
    setRest([]);
    if (rows.some((r) => !r.description.trim() || yuanToFen(r.yuan) === null)) return;
    const body = IssueQuoteBody.safeParse({ items: rows.map((r) => ({ description: r.description.trim(), amountFen: yuanToFen(r.yuan)! })), totalFen });
    if (!body.success) return;
    try {
      await issue.mutateAsync({ body: body.data, key: keyRef.current });
      void message.success({ content: t('caseWo.quoteIssued', { number: order.number }), key: 'case-wo' });
      onDone();
      onClose();
    } catch (err) {
      keyRef.current = uuid();
      setRest((err as { problem?: { errors?: FieldError[] } }).problem?.errors ?? []);
    }
  };

  return (
    <Modal open title={t('caseWo.quoteTitle', { number: order.number })} onCancel={onClose} footer={null} destroyOnHidden>
      <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="case-wo-quote-form">
        {issue.error ? <ProblemAlert error={issue.error} extraErrors={rest} withCode /> : null}
        {rows.map((r, i) => {
          const badDescription = checked && !r.description.trim();
          const badAmount = checked && yuanToFen(r.yuan) === null;
          return (
            <div key={r.key} className="quote-item" data-testid="quote-item">
              <Form.Item
                label={`${t('caseWo.quoteItem')} ${i + 1}`}
                htmlFor={`quote-desc-${i}`}
                required
                validateStatus={badDescription ? 'error' : undefined}
                help={badDescription ? t('caseWo.quoteNoDescription') : undefined}
              >
                <Input id={`quote-desc-${i}`} data-testid="quote-description" value={r.description} maxLength={200} onChange={(e) => change(r.key, { description: e.target.value })} />
              </Form.Item>
              <Space align="start" size={8}>
                <Form.Item
                  label={t('caseWo.quoteAmount')}
                  htmlFor={`quote-amount-${i}`}
                  required
                  validateStatus={badAmount ? 'error' : undefined}
                  help={badAmount ? t('caseWo.quoteBadAmount') : undefined}
                >
                  <InputNumber<number>
                    id={`quote-amount-${i}`}
                    data-testid="quote-amount"
                    min={0}
                    max={10_000_000}
                    step={1}
                    precision={2}
                    value={r.yuan}
                    onChange={(v) => change(r.key, { yuan: v ?? null })}
                    style={{ width: 160 }}
                  />
                </Form.Item>
                {rows.length > 1 ? (
                  <Button
                    icon={<DeleteOutlined />}
                    aria-label={t('caseWo.quoteRemove')}
                    title={t('caseWo.quoteRemove')}
                    style={{ marginTop: 30 }}
                    onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  />
                ) : null}
              </Space>
            </div>
          );
        })}
        {rows.length < 50 ? (
          <Button icon={<PlusOutlined />} data-testid="quote-add" onClick={() => setRows((rs) => [...rs, { key: uuid(), description: '', yuan: null }])} style={{ marginBottom: 12 }}>
            {t('caseWo.quoteAdd')}
          </Button>
        ) : null}
        <Typography.Paragraph strong data-testid="quote-total" data-total-fen={totalFen}>
          {t('caseWo.quoteTotal', { total: formatMoney(fen(totalFen), lang) })}
        </Typography.Paragraph>
        <div className="field-actions">
          <Button type="primary" htmlType="submit" loading={issue.isPending} data-testid="quote-submit">
            {t('caseWo.issueQuote')}
          </Button>
          <Button onClick={onClose}>{t('dispatch.cancel')}</Button>
        </div>
      </Form>
    </Modal>
  );
}

function CancelDialog({ order, onClose, onDone }: { order: WorkOrder; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const cancel = useCancelWorkOrder(order.id);
  const keyRef = useRef(uuid());
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const body = CancelBody.safeParse({ reason });
  const submit = async () => {
    setChecked(true);
    if (!body.success) return;
    try {
      await cancel.mutateAsync({ body: body.data, key: keyRef.current });
      void message.success({ content: t('caseWo.cancelled', { number: order.number }), key: 'case-wo' });
      onDone();
      onClose();
    } catch {
      keyRef.current = uuid();
    }
  };
  const bad = checked && !body.success;
  return (
    <Modal open title={t('caseWo.cancelTitle', { number: order.number })} onCancel={onClose} footer={null} destroyOnHidden>
      <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="case-wo-cancel-form">
        {cancel.error ? <ProblemAlert error={cancel.error} withCode /> : null}
        <Form.Item label={t('caseWo.cancelReason')} htmlFor="wo-cancel-reason" required validateStatus={bad ? 'error' : undefined} help={bad ? t('caseWo.cancelReasonRequired') : undefined}>
          <Input.TextArea id="wo-cancel-reason" data-testid="case-wo-cancel-reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Form.Item>
        <div className="field-actions">
          <Button type="primary" danger htmlType="submit" loading={cancel.isPending} data-testid="case-wo-cancel-submit">
            {t('caseWo.cancelOk')}
          </Button>
          <Button onClick={onClose}>{t('caseWo.close')}</Button>
        </div>
      </Form>
    </Modal>
  );
}
