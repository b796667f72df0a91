/**
 * The steps the caller may take on a sale at its stage, and one form per step (contract, filing,
 * payment, mortgage, inspection, handover, and the requests a sales manager decides). The workflow
 * decides whether a step is accepted: a refusal comes back as a 409 problem with its code; nothing
 * typed is lost.
 */
import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Controller } from 'react-hook-form';
import { Button, Form as AntForm, Input, Radio, Select, Space } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { CancelBody, ChangeUnitBody, MortgageBody, RenameBody } from '../../../../../api/sales/schemas.js';
import { FieldRow, applyProblem, useSchemaForm } from '../../../shared/forms.js';
import { hasPermission } from '../../../../../domain/access.js';
import { isFinalSaleStage, type SaleStage } from '../../../../../domain/sales/types.js';
import { fieldErrorsOf, type FieldError, type Unit } from '../../../api.js';
import { useCategoryTree as useCategories } from '../../cases/api.js';
import { categoryName } from '../../cases/categories.js';
import { useI18n } from '../../../i18n.js';
import { Icon } from '../../../icons.js';
import { salesApi, type MortgageEvent, type MortgageStatus, type Sale, type SaleDefect } from '../api.js';
import { Field } from '../../../ui.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { localInputToIso, parseAmount, parseArea, yuan } from '../model.js';

export type Action = 'contract' | 'filing' | 'payment' | 'mortgage' | 'switchFull' | 'inspection' | 'handover' | 'cancel' | 'changeUnit' | 'rename';

export const ACTION_LABEL = {
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
export function actionsFor(sale: Sale, rights: { work: boolean }): Action[] {
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

export const hasPending = (sale: Sale) => sale.pendingApproval !== null || sale.approvals.some((x) => x.status === 'pending');


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
export function ActionForm(props: ActionFormProps) {
  const { action } = props;
  if (action === 'cancel' || action === 'changeUnit' || action === 'rename') return <RequestForm {...props} action={action} />;
  if (action === 'mortgage' && props.sale.mortgage) return <MortgageForm {...props} />;
  return <StepForm {...props} />;
}

const REQUEST = {
  cancel: { schema: CancelBody, kind: 'cancel', fields: ['reason'] },
  changeUnit: { schema: ChangeUnitBody, kind: 'change_unit', fields: ['unitId', 'reason'] },
  rename: { schema: RenameBody, kind: 'rename', fields: ['buyerName', 'reason'] },
} as const;

/**
 * A request a sales manager decides (cancellation, unit change, rename) on react-hook-form with the
 * server's own body schema: the same rules and error codes, checked before sending, errors under
 * their fields in the user's language; a refusal's field errors land on their fields.
 */
function RequestForm({ action, sale, units, unitsLoading, onCancel, onDone }: ActionFormProps & { action: keyof typeof REQUEST }) {
  const { t, lang } = useI18n();
  const spec = REQUEST[action];
  const form = useSchemaForm(spec.schema as typeof CancelBody, { defaultValues: { reason: '', unitId: undefined, buyerName: '' } as never });
  const send = useMutation({
    mutationFn: (body: Record<string, string>) =>
      action === 'cancel'
        ? salesApi.cancel(sale.id, { reason: body.reason! })
        : action === 'changeUnit'
          ? salesApi.changeUnit(sale.id, { unitId: body.unitId!, reason: body.reason! })
          : salesApi.rename(sale.id, { buyerName: body.buyerName!, reason: body.reason! }),
    onSuccess: (updated) => onDone(t('sale.requested', { kind: t(`approvalKind.${spec.kind}` as const) }), updated),
    onError: (err) => setRest(applyProblem(form as never, lang, err, spec.fields)),
  });
  const [rest, setRest] = useState<FieldError[]>([]);
  const submit = form.handleSubmit((v) => send.mutate(v as Record<string, string>));
  const available = units.filter((u) => u.status === 'AVAILABLE' && u.id !== sale.unit.id);
  const hint = action === 'cancel' ? `${t('saleAct.approvalHint')} ${t('saleAct.cancelHint')}` : t('saleAct.approvalHint');
  return (
    <AntForm layout="vertical" component="form" className="action-form" noValidate data-testid={`form-${action}`} onFinish={() => void submit()} style={{ marginTop: 12 }}>
      {send.error ? <ProblemAlert error={send.error} extraErrors={rest} withCode /> : null}
      {action === 'changeUnit' ? (
        <FieldRow form={form as never} name="unitId" label={t('saleAct.newUnit')} required hint={available.length === 0 && !unitsLoading ? t('newSale.noUnits') : t('newSale.unitHint')}>
          <Controller
            control={form.control}
            name={'unitId' as never}
            render={({ field }) => (
              <Select
                id="unitId"
                data-testid="change-unit-select"
                value={(field.value as string | undefined) || undefined}
                onChange={(v: string) => field.onChange(v)}
                onBlur={field.onBlur}
                loading={unitsLoading}
                placeholder={t('common.choose')}
                showSearch={{ optionFilterProp: 'label' }}
                options={available.map((u) => ({ value: u.id, label: `${u.buildingName} ${u.number} · ${u.area} m²` }))}
              />
            )}
          />
        </FieldRow>
      ) : null}
      {action === 'rename' ? (
        <FieldRow form={form as never} name="buyerName" label={t('saleAct.newBuyerName')} required>
          <Controller
            control={form.control}
            name={'buyerName' as never}
            render={({ field }) => <Input {...field} value={(field.value as string) ?? ''} id="buyerName" name="buyerName" maxLength={60} autoComplete="off" />}
          />
        </FieldRow>
      ) : null}
      <FieldRow form={form as never} name="reason" label={t('saleAct.reason')} required hint={hint}>
        <Controller
          control={form.control}
          name={'reason' as never}
          render={({ field }) => <Input.TextArea {...field} value={(field.value as string) ?? ''} id="reason" name="reason" rows={3} maxLength={500} />}
        />
      </FieldRow>
      <Space>
        <Button onClick={onCancel} disabled={send.isPending}>
          {t('action.cancel')}
        </Button>
        <Button type="primary" danger={action === 'cancel'} htmlType="submit" loading={send.isPending} data-testid="action-submit">
          {t(ACTION_LABEL[action])}
        </Button>
      </Space>
    </AntForm>
  );
}

/**
 * The mortgage's next step on useSchemaForm with the server's MortgageBody: an approval names the
 * bank and the loan (the schema's own cross-field rule, with its codes), checked before sending.
 */
function MortgageForm({ sale, onCancel, onDone }: ActionFormProps) {
  const { t, lang } = useI18n();
  const next = sale.mortgage ? NEXT_MORTGAGE_EVENTS[sale.mortgage.status] : [];
  const form = useSchemaForm(MortgageBody, { defaultValues: { event: next[0], bank: sale.mortgage?.bank ?? undefined, amount: undefined } as never });
  const [rest, setRest] = useState<FieldError[]>([]);
  const event = form.watch('event' as never) as unknown as MortgageEvent | undefined;
  const withAmount = event === 'approved' || event === 'disbursed';
  const send = useMutation({
    mutationFn: (body: { event: MortgageEvent; bank?: string; amount?: string }) => salesApi.mortgage(sale.id, body),
    onSuccess: (updated) => onDone(t('sale.done'), updated),
    onError: (err) => setRest(applyProblem(form as never, lang, err, ['event', 'bank', 'amount'])),
  });
  const submit = form.handleSubmit((v) => {
    const b = v as { event: MortgageEvent; bank?: string; amount?: string };
    send.mutate({ event: b.event, ...(b.bank ? { bank: b.bank } : {}), ...(withAmount && b.amount ? { amount: b.amount } : {}) });
  });
  const optional = (v: string) => (v.trim() === '' ? undefined : v);
  return (
    <AntForm layout="vertical" component="form" className="action-form" noValidate data-testid="form-mortgage" onFinish={() => void submit()} style={{ marginTop: 12 }}>
      {send.error ? <ProblemAlert error={send.error} extraErrors={rest} withCode /> : null}
      <FieldRow form={form as never} name="event" label={t('saleAct.mortgageEvent')} required>
        <Controller
          control={form.control}
          name={'event' as never}
          render={({ field }) => (
            <Radio.Group
              id="event"
              name="event"
              data-testid="mortgage-event"
              optionType="button"
              value={field.value}
              onChange={(e) => field.onChange(e.target.value)}
              options={next.map((ev) => ({ value: ev, label: t(`saleAct.mev.${ev}` as const) }))}
            />
          )}
        />
      </FieldRow>
      <Space wrap size={16} align="start">
        <FieldRow form={form as never} name="bank" label={t('saleAct.bank')} required={event === 'approved'}>
          <Controller
            control={form.control}
            name={'bank' as never}
            render={({ field }) => (
              <Input id="bank" name="bank" maxLength={60} autoComplete="off" value={(field.value as string | undefined) ?? ''} onChange={(e) => field.onChange(optional(e.target.value))} onBlur={field.onBlur} />
            )}
          />
        </FieldRow>
        {withAmount ? (
          <FieldRow
            form={form as never}
            name="amount"
            label={event === 'approved' ? t('saleAct.loanAmount') : t('saleAct.disbursedAmount')}
            required={event === 'approved'}
            hint={event === 'disbursed' ? `${t('saleAct.disbursedHint')}${sale.mortgage?.amount ? ` (${yuan(sale.mortgage.amount, lang)})` : ''}` : undefined}
          >
            <Controller
              control={form.control}
              name={'amount' as never}
              render={({ field }) => (
                <Input
                  id="amount"
                  name="amount"
                  inputMode="decimal"
                  autoComplete="off"
                  prefix="¥"
                  value={(field.value as string | undefined) ?? ''}
                  onChange={(e) => field.onChange(optional(e.target.value.replace(/[,\s，]/g, '')))}
                  onBlur={field.onBlur}
                />
              )}
            />
          </FieldRow>
        ) : null}
      </Space>
      <Space style={{ display: 'flex' }}>
        <Button onClick={onCancel} disabled={send.isPending}>
          {t('action.cancel')}
        </Button>
        <Button type="primary" danger={event === 'rejected'} htmlType="submit" loading={send.isPending} data-testid="action-submit">
          {t(ACTION_LABEL.mortgage)}
        </Button>
      </Space>
    </AntForm>
  );
}

function StepForm({ action, sale, timeZone, units, unitsLoading, categories, onCancel, onDone }: ActionFormProps) {
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
