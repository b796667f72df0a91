/**
 * 销售设置: the follow-up cadence of each grade (ISO 8601 durations, who gets new leads), the
 * loss reasons and the sales lifecycle's deadlines (销售流程时限), as forms. A group administrator
 * saves them; sales managers read them. The server validates; its field errors (`body.1.interval`,
 * `contractWithin`) are shown at the cell they belong to, and nothing typed is lost when a save fails.
 */
import { useCallback, useEffect, useState } from 'react';
import { canWriteSettings, type Principal } from '../../../../../domain/access.js';
import { GRADES, OWNER_ROLES, type Grade, type LeadOwnerRole } from '../../../../../domain/leads/types.js';
import { ApiError, fieldErrorsOf, type FieldError, type User } from '../../../api.js';
import { fieldErrorText } from '../../../problems.js';
import { getLang, useI18n } from '../../../i18n.js';
import { cadenceText, formatIsoDuration } from '../../leads/components/lead-ui.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { Card, SuccessNotice } from '../../../ui.js';
import {
  SALES_POLICY_FIELDS,
  useCadencePolicies,
  useLossReasons,
  useSalesPolicy,
  useSaveCadencePolicies,
  useSaveLossReasons,
  useSaveSalesPolicy,
  type CadencePolicy,
  type LossReason,
  type SalesPolicy,
} from '../api.js';

function principalOf(user: User): Principal {
  return { id: user.id, username: user.username, role: user.role, groupId: user.scope.groupId, scopeLevel: user.scope.level, companyId: user.scope.companyId, projectId: user.scope.projectId };
}

/** `body.1.interval` → { '1.interval': message in the console's language }. */
function cellErrors(err: unknown): { byCell: Record<string, string>; rest: FieldError[] } {
  const byCell: Record<string, string> = {};
  const rest: FieldError[] = [];
  if (!(err instanceof ApiError)) return { byCell, rest };
  for (const e of err.problem.errors ?? []) {
    const m = /^body\.(\d+)\.(.+)$/.exec(e.path);
    const text = fieldErrorText(getLang(), e);
    if (m) byCell[`${m[1]}.${m[2]}`] = byCell[`${m[1]}.${m[2]}`] ? `${byCell[`${m[1]}.${m[2]}`]}; ${text}` : text;
    else rest.push(e);
  }
  return { byCell, rest };
}

const TABS = ['cadences', 'reasons', 'deadlines'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL = { cadences: 'salesSettings.cadences', reasons: 'salesSettings.lossReasons', deadlines: 'salesSettings.deadlines' } as const satisfies Record<Tab, string>;

export function SalesSettingsPage({ user }: { user: User }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('cadences');
  const writable = canWriteSettings(principalOf(user));
  return (
    <div className="page">
      <div className="segmented segmented-inline" role="tablist" data-testid="sales-settings-tabs">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`segment${tab === k ? ' active' : ''}`}
            data-tab={k}
            onClick={() => setTab(k)}
          >
            {t(TAB_LABEL[k])}
          </button>
        ))}
      </div>
      {!writable ? <p className="field-hint">{t('salesSettings.readOnly')}</p> : null}
      {tab === 'cadences' ? <CadenceEditor writable={writable} /> : tab === 'reasons' ? <LossReasonEditor writable={writable} /> : <SalesPolicyEditor writable={writable} />}
    </div>
  );
}

/** A save as a TanStack mutation (which refreshes the setting), with the page's notice. */
function useSaver<T>(mutation: { mutateAsync: (value: T) => Promise<unknown>; isPending: boolean; error: unknown; reset: () => void }) {
  const { t } = useI18n();
  const [notice, setNotice] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);
  const run = async (value: T) => {
    if (mutation.isPending) return;
    try {
      await mutation.mutateAsync(value);
      setNotice(t('salesSettings.saved'));
    } catch {
      // Shown from mutation.error.
    }
  };
  return { busy: mutation.isPending, error: mutation.error, notice, clearNotice, run };
}

// ---------------------------------------------------------------------------------------------

function CadenceEditor({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const loaded = useCadencePolicies();
  const [rows, setRows] = useState<CadencePolicy[]>([]);
  const original = JSON.stringify(loaded.data?.items ?? []);
  useEffect(() => setRows(JSON.parse(original) as CadencePolicy[]), [original]);
  const saver = useSaver(useSaveCadencePolicies());
  const { byCell, rest } = cellErrors(saver.error);
  const dirty = JSON.stringify(rows) !== original;

  const set = (i: number, patch: Partial<CadencePolicy>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const cell = (i: number, field: keyof CadencePolicy) => byCell[`${i}.${field}`];

  return (
    <Card title={t('salesSettings.cadences')}>
      <SuccessNotice message={saver.notice} onClose={saver.clearNotice} />
      <p className="card-intro muted">{t('salesSettings.cadencesIntro')}</p>
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      <ProblemAlert error={saver.error} extraErrors={rest} withCode />
      <form
        className="form"
        noValidate
        data-testid="cadence-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saver.run(rows.map((r) => ({ ...r, lastsFor: r.lastsFor?.trim() ? r.lastsFor.trim() : null, dropTo: r.dropTo ?? null })));
        }}
      >
        <div className="table-wrap">
          <table className="table settings-table" data-testid="cadence-table">
            <thead>
              <tr>
                <th scope="col">{t('leads.grade')}</th>
                <th scope="col">{t('salesSettings.firstContact')}</th>
                <th scope="col">{t('salesSettings.interval')}</th>
                <th scope="col">{t('salesSettings.lastsFor')}</th>
                <th scope="col">{t('salesSettings.dropTo')}</th>
                <th scope="col">{t('salesSettings.ownerRole')}</th>
                <th scope="col">{t('salesSettings.preview')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.grade} data-grade={r.grade}>
                  <td>
                    <strong>{t(`grade.${r.grade}` as const)}</strong>
                  </td>
                  {(['firstContact', 'interval', 'lastsFor'] as const).map((f) => (
                    <td key={f} className={cell(i, f) ? 'has-error' : undefined}>
                      <input
                        name={`${r.grade}.${f}`}
                        className="mono cell-input"
                        aria-label={`${t(`grade.${r.grade}` as const)} ${t(`salesSettings.${f}` as const)}`}
                        value={r[f] ?? ''}
                        placeholder={f === 'lastsFor' ? '—' : 'P1D'}
                        disabled={!writable}
                        maxLength={20}
                        onChange={(e) => set(i, { [f]: f === 'lastsFor' && e.target.value === '' ? null : e.target.value })}
                      />
                      {cell(i, f) ? (
                        <div className="field-error" role="alert">
                          {cell(i, f)}
                        </div>
                      ) : null}
                    </td>
                  ))}
                  <td className={cell(i, 'dropTo') ? 'has-error' : undefined}>
                    <select
                      name={`${r.grade}.dropTo`}
                      aria-label={`${t(`grade.${r.grade}` as const)} ${t('salesSettings.dropTo')}`}
                      value={r.dropTo ?? ''}
                      disabled={!writable}
                      onChange={(e) => set(i, { dropTo: (e.target.value || null) as Grade | null })}
                    >
                      <option value="">{t('salesSettings.noDrop')}</option>
                      {GRADES.filter((g) => g !== r.grade).map((g) => (
                        <option key={g} value={g}>
                          {t(`grade.${g}` as const)}
                        </option>
                      ))}
                    </select>
                    {cell(i, 'dropTo') ? (
                      <div className="field-error" role="alert">
                        {cell(i, 'dropTo')}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <select
                      name={`${r.grade}.ownerRole`}
                      aria-label={`${t(`grade.${r.grade}` as const)} ${t('salesSettings.ownerRole')}`}
                      value={r.ownerRole}
                      disabled={!writable}
                      onChange={(e) => set(i, { ownerRole: e.target.value as LeadOwnerRole })}
                    >
                      {OWNER_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {t(`role.${role}` as const)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted settings-preview">{cadenceText(r, t, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {writable ? (
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-ghost"
              disabled={saver.busy || !loaded.data?.defaults}
              onClick={() => setRows((loaded.data?.defaults ?? []).map((p) => ({ ...p })))}
              data-testid="cadence-defaults"
            >
              {t('salesSettings.defaults')}
            </button>
            <button type="button" className="btn btn-ghost" disabled={saver.busy || !dirty} onClick={() => setRows(JSON.parse(original) as CadencePolicy[])}>
              {t('settings.reset')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={saver.busy || !dirty} data-testid="cadence-save">
              {saver.busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
              {saver.busy ? t('action.saving') : t('action.save')}
            </button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------

function LossReasonEditor({ writable }: { writable: boolean }) {
  const { t } = useI18n();
  const loaded = useLossReasons();
  const [rows, setRows] = useState<LossReason[]>([]);
  const original = JSON.stringify(loaded.data?.items ?? []);
  useEffect(() => setRows(JSON.parse(original) as LossReason[]), [original]);
  const saver = useSaver(useSaveLossReasons());
  const { byCell, rest } = cellErrors(saver.error);
  const dirty = JSON.stringify(rows) !== original;
  const saved = new Set((loaded.data?.items ?? []).map((r) => r.code));

  const set = (i: number, patch: Partial<LossReason>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const cell = (i: number, field: string) => byCell[`${i}.${field}`];

  return (
    <Card title={t('salesSettings.lossReasons')}>
      <SuccessNotice message={saver.notice} onClose={saver.clearNotice} />
      <p className="card-intro muted">{t('salesSettings.lossReasonsIntro')}</p>
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      <ProblemAlert error={saver.error} extraErrors={rest} withCode />
      <form
        className="form"
        noValidate
        data-testid="reasons-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saver.run(rows.map((r) => ({ code: r.code.trim(), name: { zh: r.name.zh.trim(), en: r.name.en.trim() }, active: r.active })));
        }}
      >
        <div className="table-wrap">
          <table className="table settings-table" data-testid="reasons-table">
            <thead>
              <tr>
                <th scope="col">{t('salesSettings.code')}</th>
                <th scope="col">{t('salesSettings.nameZh')}</th>
                <th scope="col">{t('salesSettings.nameEn')}</th>
                <th scope="col">{t('salesSettings.active')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('salesSettings.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-code={r.code}>
                  <td className={cell(i, 'code') ? 'has-error' : undefined}>
                    <input
                      name={`reason.${i}.code`}
                      className="mono cell-input"
                      aria-label={t('salesSettings.code')}
                      value={r.code}
                      maxLength={40}
                      disabled={!writable || saved.has(r.code)}
                      onChange={(e) => set(i, { code: e.target.value })}
                    />
                    {cell(i, 'code') ? (
                      <div className="field-error" role="alert">
                        {cell(i, 'code')}
                      </div>
                    ) : null}
                  </td>
                  {(['zh', 'en'] as const).map((l) => (
                    <td key={l} className={cell(i, `name.${l}`) ? 'has-error' : undefined}>
                      <input
                        name={`reason.${i}.${l}`}
                        className="cell-input"
                        aria-label={t(l === 'zh' ? 'salesSettings.nameZh' : 'salesSettings.nameEn')}
                        value={r.name[l]}
                        maxLength={80}
                        disabled={!writable}
                        onChange={(e) => set(i, { name: { ...r.name, [l]: e.target.value } })}
                      />
                      {cell(i, `name.${l}`) ? (
                        <div className="field-error" role="alert">
                          {cell(i, `name.${l}`)}
                        </div>
                      ) : null}
                    </td>
                  ))}
                  <td>
                    <input
                      type="checkbox"
                      name={`reason.${i}.active`}
                      aria-label={t('salesSettings.active')}
                      checked={r.active}
                      disabled={!writable}
                      onChange={(e) => set(i, { active: e.target.checked })}
                    />
                  </td>
                  <td>
                    {writable ? (
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                        {t('salesSettings.remove')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {writable ? (
          <div className="form-actions">
            <button type="button" className="btn" disabled={saver.busy} onClick={() => setRows((rs) => [...rs, { code: '', name: { zh: '', en: '' }, active: true }])} data-testid="reason-add">
              {t('salesSettings.addReason')}
            </button>
            <span className="toolbar-spacer" />
            <button type="button" className="btn btn-ghost" disabled={saver.busy || !dirty} onClick={() => setRows(JSON.parse(original) as LossReason[])}>
              {t('settings.reset')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={saver.busy || !dirty} data-testid="reasons-save">
              {saver.busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
              {saver.busy ? t('action.saving') : t('action.save')}
            </button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * 销售流程时限: one ISO 8601 duration per step of a sale, each with what it governs, how it reads
 * ("7天" / "7 days") and the handbook's default. New sales take the saved policy when subscribed.
 */
function SalesPolicyEditor({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const loaded = useSalesPolicy();
  const [draft, setDraft] = useState<SalesPolicy | null>(null);
  const original = loaded.data ? JSON.stringify(loaded.data.policy) : '';
  useEffect(() => setDraft(original ? (JSON.parse(original) as SalesPolicy) : null), [original]);
  const saver = useSaver(useSaveSalesPolicy());
  const { byField, rest } = fieldErrorsOf(saver.error, SALES_POLICY_FIELDS);
  const dirty = draft !== null && JSON.stringify(draft) !== original;
  const defaults = loaded.data?.defaults;

  const reading = (iso: string) => {
    const text = formatIsoDuration(iso.trim(), lang);
    return text === iso.trim() ? t('salesPolicy.unreadable') : text;
  };

  return (
    <Card title={t('salesSettings.deadlines')}>
      <SuccessNotice message={saver.notice} onClose={saver.clearNotice} />
      <p className="card-intro muted">{t('salesPolicy.intro')}</p>
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      <ProblemAlert error={saver.error} extraErrors={rest} withCode />
      <form
        className="form"
        noValidate
        data-testid="policy-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!draft) return;
          void saver.run(Object.fromEntries(SALES_POLICY_FIELDS.map((f) => [f, draft[f].trim()])) as unknown as SalesPolicy);
        }}
      >
        <div className="table-wrap">
          <table className="table settings-table" data-testid="policy-table">
            <thead>
              <tr>
                <th scope="col">{t('salesPolicy.step')}</th>
                <th scope="col">{t('salesPolicy.duration')}</th>
                <th scope="col">{t('salesPolicy.reading')}</th>
                <th scope="col">{t('salesPolicy.default')}</th>
              </tr>
            </thead>
            <tbody>
              {draft
                ? SALES_POLICY_FIELDS.map((f) => (
                    <tr key={f} data-field={f}>
                      <td>
                        <strong>{t(`salesPolicy.${f}` as const)}</strong>
                        <div className="field-hint">{t(`salesPolicy.${f}.desc` as const)}</div>
                      </td>
                      <td className={byField[f] ? 'has-error' : undefined}>
                        <input
                          name={f}
                          className="mono cell-input"
                          aria-label={t(`salesPolicy.${f}` as const)}
                          aria-invalid={byField[f] ? true : undefined}
                          value={draft[f]}
                          placeholder={defaults?.[f]}
                          disabled={!writable}
                          maxLength={40}
                          onChange={(e) => setDraft((d) => (d ? { ...d, [f]: e.target.value } : d))}
                        />
                        {byField[f] ? (
                          <div className="field-error" role="alert" data-testid="policy-error">
                            {byField[f]}
                          </div>
                        ) : null}
                      </td>
                      <td className="muted settings-preview" data-testid="policy-reading">
                        {reading(draft[f])}
                      </td>
                      <td className="muted settings-preview">
                        {defaults ? (
                          <>
                            <span className="mono">{defaults[f]}</span> · {formatIsoDuration(defaults[f], lang)}
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))
                : null}
              {!draft ? (
                <tr className="empty-row">
                  <td colSpan={4}>{loaded.isLoading ? t('table.loading') : t('table.empty')}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {writable ? (
          <div className="form-actions">
            <button type="button" className="btn btn-ghost" disabled={saver.busy || !defaults} onClick={() => defaults && setDraft({ ...defaults })} data-testid="policy-defaults">
              {t('salesSettings.defaults')}
            </button>
            <button type="button" className="btn btn-ghost" disabled={saver.busy || !dirty} onClick={() => setDraft(JSON.parse(original) as SalesPolicy)}>
              {t('settings.reset')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={saver.busy || !dirty} data-testid="policy-save">
              {saver.busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
              {saver.busy ? t('action.saving') : t('action.save')}
            </button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}
