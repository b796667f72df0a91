/**
 * 保修设置 (issue 15): the group's warranty settings document on one form — which building part each
 * case category is about, the longer periods a project or a city promises, the heating/cooling
 * seasons (default and per city) and the thresholds the repair report judges contractors' warranty
 * retention by. One Save PUTs the whole document (PUT carries no idempotency key, like every
 * settings document: a replay writes the same document).
 *
 * The form's values are shaped for editing and turned into the wire document by `toBody`
 * (../warranty-form.ts). Before sending, the document is checked with the server's own rules — the
 * request schema `WarrantySettingsDoc`, then the domain's `parseWarrantySettings` (the API runs
 * both) — and every issue lands on the cell of its row, in the user's language, with the server's
 * code. A refusal the server still sends (`body.overrides.2.years`) lands there too.
 * A group administrator edits; other readers (settings:read) see the same form disabled.
 */
import { useEffect, useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Alert, AutoComplete, Button, Card, Checkbox, Flex, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import { Controller, useFieldArray, useWatch, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { canWriteSettings } from '../../../../../domain/access.js';
import { WARRANTY_COMPONENTS } from '../../../../../domain/warranty/statutory-periods.js';
import { ApiError, type FieldError, type User } from '../../../api.js';
import { fieldErrorText } from '../../../problems.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCategoryTree } from '../../cases/api.js';
import { categoryName } from '../../cases/categories.js';
import { useOrgLookups } from '../../org/lookups.js';
import { useSaveWarrantySettings, useWarrantySettings } from '../api.js';
import { fieldOfPath, formValuesOf, RETENTION_FIELDS, toBody, WarrantyForm, type OverrideRow, type RetentionField, type WarrantyFormValues } from '../warranty-form.js';
import { principalOf } from '../../../principal.js';

type Form = UseFormReturn<FieldValues, unknown, FieldValues>;

/** Reads a nested error (`overrides.1.years`). */
function errorAt(form: Form, name: string): { message?: string; type?: string } | undefined {
  let node: unknown = form.formState.errors;
  for (const part of name.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  const e = node as { message?: string; type?: string } | undefined;
  return typeof e?.message === 'string' ? e : undefined;
}

/** Every error the form holds (for the count above the Save button). */
function countErrors(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  if (typeof (node as { message?: unknown }).message === 'string' && 'type' in node) return 1;
  return Object.entries(node as Record<string, unknown>).reduce((n, [k, child]) => (k === 'ref' ? n : n + countErrors(child)), 0);
}

/** A cell's error, under it (role=alert so it is read out; `data-field` and `data-error` for tests). */
function CellError({ form, name }: { form: Form; name: string }) {
  const error = errorAt(form, name);
  if (!error?.message) return null;
  return (
    <Typography.Text type="danger" role="alert" data-testid="cell-error" data-field={name} data-error={error.type} style={{ display: 'block', fontSize: 12, maxWidth: 260 }}>
      {error.message}
    </Typography.Text>
  );
}

function Cell({ form, name, children }: { form: Form; name: string; children: ReactNode }) {
  return (
    <div data-cell={name}>
      {children}
      <CellError form={form} name={name} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

export function WarrantySettingsPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const writable = canWriteSettings(principalOf(user));
  const loaded = useWarrantySettings();
  const save = useSaveWarrantySettings();
  const form = useSchemaForm(WarrantyForm, { defaultValues: undefined });
  const f = form as unknown as Form;
  const [saved, setSaved] = useState(false);
  const [refusal, setRefusal] = useState<{ error: unknown; rest: FieldError[] } | null>(null);

  const original = loaded.data ? JSON.stringify(formValuesOf(loaded.data.settings)) : '';
  useEffect(() => {
    if (original) form.reset(JSON.parse(original) as WarrantyFormValues);
  }, [original, form]);
  useEffect(() => {
    if (!saved) return;
    const timer = window.setTimeout(() => setSaved(false), 5000);
    return () => window.clearTimeout(timer);
  }, [saved]);
  const values = useWatch({ control: f.control }) as Partial<WarrantyFormValues>;
  const dirty = Boolean(original) && JSON.stringify(values) !== original;
  const errorCount = countErrors(f.formState.errors);

  const submit = form.handleSubmit(async (v) => {
    if (save.isPending) return;
    setRefusal(null);
    try {
      await save.mutateAsync(toBody(v));
      setSaved(true);
    } catch (err) {
      const rest: FieldError[] = [];
      if (err instanceof ApiError) {
        for (const e of err.problem.errors ?? []) {
          const field = fieldOfPath(e.path.replace(/^body\.?/, ''), v);
          if (field) f.setError(field as Path<FieldValues>, { type: e.code ?? 'SERVER', message: fieldErrorText(lang, e) }, { shouldFocus: rest.length === 0 });
          else rest.push(e);
        }
      }
      setRefusal({ error: err, rest });
    }
  });

  const settings = loaded.data?.settings;
  return (
    <div className="page" data-testid="warranty-settings">
      <Alert type="info" showIcon data-testid="warranty-floor" message={t('warrantySettings.floor')} style={{ marginBottom: 12 }} />
      {!writable ? <Alert type="info" showIcon message={t('warrantySettings.readOnly')} style={{ marginBottom: 12 }} /> : null}
      <ProblemAlert error={loaded.error} onRetry={() => void loaded.refetch()} withCode />
      {settings ? (
        <form
          noValidate
          data-testid="warranty-form"
          onSubmit={(e) => {
            setSaved(false);
            void submit(e);
          }}
        >
          <Flex vertical gap={16}>
            <CategoryCard form={f} writable={writable} />
            <OverrideCard form={f} writable={writable} />
            <SeasonCard form={f} writable={writable} />
            <RetentionCard form={f} writable={writable} defaults={loaded.data?.defaults.retention} />
            {writable ? (
              <div>
                {saved ? <Alert type="success" showIcon closable onClose={() => setSaved(false)} role="status" data-testid="settings-saved" message={t('warrantySettings.saved')} style={{ marginBottom: 12 }} /> : null}
                {errorCount > 0 ? <Alert type="error" showIcon role="alert" data-testid="form-invalid" message={t('warrantySettings.invalid', { count: errorCount })} style={{ marginBottom: 12 }} /> : null}
                {refusal && (refusal.rest.length > 0 || !(refusal.error instanceof ApiError) || !refusal.error.problem.errors?.length) ? (
                  <ProblemAlert error={refusal.error} extraErrors={refusal.rest} withCode />
                ) : null}
                <Flex gap={8} wrap justify="flex-end">
                  <Button disabled={save.isPending || !dirty} onClick={() => form.reset(JSON.parse(original) as WarrantyFormValues)} data-testid="warranty-revert">
                    {t('settings.reset')}
                  </Button>
                  <Button type="primary" htmlType="submit" disabled={!dirty} loading={save.isPending} data-testid="warranty-save">
                    {save.isPending ? t('action.saving') : t('action.save')}
                  </Button>
                </Flex>
              </div>
            ) : null}
          </Flex>
        </form>
      ) : (
        <Card loading={loaded.isLoading} />
      )}
    </div>
  );
}

/**
 * A table wider than a phone scrolls inside its card, never the page; focusable, so a keyboard can
 * scroll it too when its inputs are disabled (axe: scrollable-region-focusable).
 */
function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="settings-scroll" tabIndex={0} role="region" aria-label={label} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      {children}
    </div>
  );
}

const cardTitle = (text: string) => <h2 className="card-title-h">{text}</h2>;
const rowProps = (name: string) => () => ({ 'data-row': name }) as HTMLAttributes<HTMLElement>;

function useComponentOptions() {
  const { t } = useI18n();
  return useMemo(() => WARRANTY_COMPONENTS.map((c) => ({ value: c, label: t(`warranty.component.${c}` as MessageKey) })), [t]);
}

/** The building part of a row, picked by its zh-CN/en name; errors under it. */
function ComponentCell({ form, name, label, writable, width }: { form: Form; name: string; label: string; writable: boolean; width: number }) {
  const { t } = useI18n();
  const components = useComponentOptions();
  return (
    <Cell form={form} name={name}>
      <Controller
        control={form.control}
        name={name as Path<FieldValues>}
        render={({ field: c }) => (
          <Select
            aria-label={label}
            className="ws-component"
            showSearch
            optionFilterProp="label"
            value={(c.value as string) || undefined}
            placeholder={t('warrantySettings.pickComponent')}
            options={components}
            disabled={!writable}
            status={errorAt(form, name) ? 'error' : undefined}
            onChange={(v: string) => c.onChange(v)}
            popupMatchSelectWidth={false}
            style={{ width }}
          />
        )}
      />
    </Cell>
  );
}

/** A table's last column: the row's remove button, named by the row for screen readers. */
function removeColumn(label: string, rowLabel: (i: number) => string, writable: boolean, remove: (i: number) => void) {
  return {
    key: 'remove',
    title: <span className="visually-hidden">{label}</span>,
    render: (_: unknown, _r: unknown, i: number) => <RemoveButton writable={writable} onClick={() => remove(i)} label={`${label} ${rowLabel(i)}`} />,
  };
}

function RemoveButton({ writable, onClick, label }: { writable: boolean; onClick: () => void; label: string }) {
  const { t } = useI18n();
  if (!writable) return null;
  return (
    <Button size="small" type="text" danger onClick={onClick} aria-label={label} data-testid="row-remove">
      {t('warrantySettings.remove')}
    </Button>
  );
}

// ---------------------------------------------------------------------------------------------
// 1. Category → building part

function CategoryCard({ form, writable }: { form: Form; writable: boolean }) {
  const { t, lang } = useI18n();
  const list = useFieldArray({ control: form.control, name: 'categoryComponents' });
  const categories = useCategoryTree();
  const categoryOptions = useMemo(
    () => categories.map((c) => ({ value: c.code, label: `${categoryName(c.code, lang, categories)} · ${c.code}` })),
    [categories, lang],
  );
  const rowLabel = (i: number) => t('warrantySettings.row', { n: i + 1 });
  return (
    <Card title={cardTitle(t('warrantySettings.categories'))} data-testid="warranty-categories">
      <Typography.Paragraph type="secondary">{t('warrantySettings.categoriesIntro')}</Typography.Paragraph>
      <ScrollRegion label={t('warrantySettings.categories')}>
        <Table<{ id: string }>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={list.fields}
          onRow={(_, i) => rowProps(`categoryComponents.${i}`)()}
          columns={[
            {
              key: 'prefix',
              title: t('warrantySettings.prefix'),
              render: (_, _r, i) => (
                <Cell form={form} name={`categoryComponents.${i}.prefix`}>
                  <Controller
                    control={form.control}
                    name={`categoryComponents.${i}.prefix`}
                    render={({ field: c }) => (
                      <AutoComplete
                        aria-label={`${t('warrantySettings.prefix')} ${rowLabel(i)}`}
                        className="mono ws-prefix"
                        value={(c.value as string) ?? ''}
                        options={categoryOptions}
                        filterOption={(typed, option) => String(option?.label ?? '').toLowerCase().includes(typed.toLowerCase())}
                        placeholder={t('warrantySettings.prefixPlaceholder')}
                        disabled={!writable}
                        status={errorAt(form, `categoryComponents.${i}.prefix`) ? 'error' : undefined}
                        onChange={(v: string) => c.onChange(v)}
                        onBlur={c.onBlur}
                        popupMatchSelectWidth={false}
                        style={{ width: 280 }}
                      />
                    )}
                  />
                </Cell>
              ),
            },
            {
              key: 'component',
              title: t('warrantySettings.component'),
              render: (_, _r, i) => <ComponentCell form={form} name={`categoryComponents.${i}.component`} label={`${t('warrantySettings.component')} ${rowLabel(i)}`} writable={writable} width={200} />,
            },
            removeColumn(t('warrantySettings.remove'), rowLabel, writable, (i) => list.remove(i)),
          ]}
        />
      </ScrollRegion>
      {writable ? (
        <Button style={{ marginTop: 12 }} onClick={() => list.append({ prefix: '', component: '' })} data-testid="add-category">
          {t('warrantySettings.addRule')}
        </Button>
      ) : null}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Longer periods

function OverrideCard({ form, writable }: { form: Form; writable: boolean }) {
  const { t } = useI18n();
  const list = useFieldArray({ control: form.control, name: 'overrides' });
  const rows = (useWatch({ control: form.control, name: 'overrides' }) as OverrideRow[] | undefined) ?? [];
  const { projects } = useOrgLookups();
  const cities = useCities(form);
  const projectOptions = useMemo(() => projects.map((p) => ({ value: p.id, label: p.city ? `${p.name} · ${p.city}` : p.name })), [projects]);
  const rowLabel = (i: number) => t('warrantySettings.row', { n: i + 1 });

  return (
    <Card title={cardTitle(t('warrantySettings.overrides'))} data-testid="warranty-overrides">
      <Typography.Paragraph type="secondary">{t('warrantySettings.overridesIntro')}</Typography.Paragraph>
      <ScrollRegion label={t('warrantySettings.overrides')}>
        <Table<{ id: string }>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={list.fields}
          onRow={(_, i) => rowProps(`overrides.${i}`)()}
          columns={[
            {
              key: 'scope',
              title: t('warrantySettings.scope'),
              render: (_, _r, i) => {
                const kind = rows[i]?.scopeKind ?? 'project';
                const name = `overrides.${i}.${kind === 'project' ? 'projectId' : 'city'}`;
                return (
                  <Cell form={form} name={name}>
                    <Space.Compact>
                      <Controller
                        control={form.control}
                        name={`overrides.${i}.scopeKind`}
                        render={({ field: c }) => (
                          <Select
                            aria-label={`${t('warrantySettings.scope')} ${rowLabel(i)}`}
                            value={c.value as string}
                            disabled={!writable}
                            onChange={(v: string) => {
                              c.onChange(v);
                              form.clearErrors([`overrides.${i}.projectId`, `overrides.${i}.city`] as Path<FieldValues>[]);
                            }}
                            options={[
                              { value: 'project', label: t('warrantySettings.scope.project') },
                              { value: 'city', label: t('warrantySettings.scope.city') },
                            ]}
                            style={{ width: 90 }}
                            className="ws-scope-kind"
                          />
                        )}
                      />
                      {kind === 'project' ? (
                        <Controller
                          control={form.control}
                          name={`overrides.${i}.projectId`}
                          render={({ field: c }) => (
                            <Select
                              showSearch
                              optionFilterProp="label"
                              aria-label={`${t('warrantySettings.scope.project')} ${rowLabel(i)}`}
                              value={(c.value as string) || undefined}
                              placeholder={t('warrantySettings.pickProject')}
                              // A saved project outside the first 200 still shows (by its id).
                              options={projectOptions.some((o) => o.value === c.value) || !c.value ? projectOptions : [...projectOptions, { value: c.value as string, label: c.value as string }]}
                              disabled={!writable}
                              status={errorAt(form, name) ? 'error' : undefined}
                              onChange={(v: string) => c.onChange(v)}
                              popupMatchSelectWidth={false}
                              style={{ width: 180 }}
                              className="ws-project"
                            />
                          )}
                        />
                      ) : (
                        <Controller
                          control={form.control}
                          name={`overrides.${i}.city`}
                          render={({ field: c }) => (
                            <AutoComplete
                              aria-label={`${t('warrantySettings.scope.city')} ${rowLabel(i)}`}
                              value={(c.value as string) ?? ''}
                              options={cities}
                              filterOption={(typed, option) => String(option?.value ?? '').includes(typed)}
                              placeholder={t('warrantySettings.cityPlaceholder')}
                              disabled={!writable}
                              status={errorAt(form, name) ? 'error' : undefined}
                              onChange={(v: string) => c.onChange(v)}
                              onBlur={c.onBlur}
                              style={{ width: 180 }}
                            />
                          )}
                        />
                      )}
                    </Space.Compact>
                  </Cell>
                );
              },
            },
            {
              key: 'component',
              title: t('warrantySettings.component'),
              render: (_, _r, i) => <ComponentCell form={form} name={`overrides.${i}.component`} label={`${t('warrantySettings.component')} ${rowLabel(i)}`} writable={writable} width={180} />,
            },
            {
              key: 'period',
              title: t('warrantySettings.period'),
              render: (_, _r, i) => (
                <Cell form={form} name={`overrides.${i}.years`}>
                  <Space.Compact>
                    <Controller
                      control={form.control}
                      name={`overrides.${i}.years`}
                      render={({ field: c }) => (
                        <InputNumber
                          name={`overrides.${i}.years`}
                          aria-label={`${t('warrantySettings.period')} ${rowLabel(i)}`}
                          value={(c.value as number | null) ?? null}
                          disabled={!writable}
                          status={errorAt(form, `overrides.${i}.years`) ? 'error' : undefined}
                          onChange={(v) => c.onChange(typeof v === 'number' ? v : null)}
                          onBlur={c.onBlur}
                          style={{ width: 80 }}
                        />
                      )}
                    />
                    <Controller
                      control={form.control}
                      name={`overrides.${i}.unit`}
                      render={({ field: c }) => (
                        <Select
                          aria-label={`${t('warrantySettings.unit')} ${rowLabel(i)}`}
                          value={c.value as string}
                          disabled={!writable}
                          onChange={(v: string) => c.onChange(v)}
                          options={[
                            { value: 'years', label: t('warrantySettings.unit.years') },
                            { value: 'months', label: t('warrantySettings.unit.months') },
                          ]}
                          style={{ width: 90 }}
                          className="ws-unit"
                        />
                      )}
                    />
                  </Space.Compact>
                </Cell>
              ),
            },
            {
              key: 'from',
              title: t('warrantySettings.from'),
              render: (_, _r, i) => (
                <Cell form={form} name={`overrides.${i}.from`}>
                  <Controller
                    control={form.control}
                    name={`overrides.${i}.from`}
                    render={({ field: c }) => (
                      <Select
                        aria-label={`${t('warrantySettings.from')} ${rowLabel(i)}`}
                        className="ws-from"
                        value={c.value as string}
                        disabled={!writable}
                        onChange={(v: string) => c.onChange(v)}
                        options={[
                          { value: 'handover', label: t('warrantySettings.from.handover') },
                          { value: 'completion', label: t('warrantySettings.from.completion') },
                        ]}
                        popupMatchSelectWidth={false}
                        style={{ width: 170 }}
                      />
                    )}
                  />
                </Cell>
              ),
            },
            removeColumn(t('warrantySettings.remove'), rowLabel, writable, (i) => list.remove(i)),
          ]}
        />
      </ScrollRegion>
      {writable ? (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => list.append({ scopeKind: 'project', projectId: '', city: '', component: '', years: null, unit: 'years', from: 'handover' } satisfies OverrideRow)}
          data-testid="add-override"
        >
          {t('warrantySettings.addOverride')}
        </Button>
      ) : null}
    </Card>
  );
}

/** The cities to suggest: those of the org's projects and those already named in the settings. */
function useCities(form: Form): Array<{ value: string }> {
  const { projects } = useOrgLookups();
  const rows = (useWatch({ control: form.control, name: 'citySeasons' }) as WarrantyFormValues['citySeasons'] | undefined) ?? [];
  const named = rows.map((r) => r.city.trim());
  return useMemo(
    () => [...new Set([...projects.map((p) => p.city ?? ''), ...named].filter(Boolean))].sort().map((value) => ({ value })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [projects, named.join('\u0000')],
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Seasons

function SeasonInputs({ form, name, writable, label }: { form: Form; name: string; writable: boolean; label: string }) {
  const { t } = useI18n();
  const none = useWatch({ control: form.control, name: `${name}.none` }) as boolean | undefined;
  const dateInput = (part: 'start' | 'end') => (
    <Controller
      control={form.control}
      name={`${name}.${part}`}
      render={({ field: c }) => (
        <Input
          name={`${name}.${part}`}
          className="mono"
          aria-label={`${label} ${t(`warrantySettings.${part}`)}`}
          value={(c.value as string) ?? ''}
          placeholder="MM-DD"
          maxLength={5}
          disabled={!writable || none}
          status={errorAt(form, `${name}.${part}`) ? 'error' : undefined}
          onChange={(e) => c.onChange(e.target.value)}
          onBlur={c.onBlur}
          style={{ width: 76 }}
        />
      )}
    />
  );
  return (
    <div data-season={name}>
      <Space size={6} wrap={false}>
        <Controller
          control={form.control}
          name={`${name}.none`}
          render={({ field: c }) => (
            <Checkbox
              name={`${name}.none`}
              checked={Boolean(c.value)}
              disabled={!writable}
              onChange={(e) => {
                c.onChange(e.target.checked);
                form.clearErrors([`${name}.start`, `${name}.end`] as Path<FieldValues>[]);
              }}
              aria-label={`${label} ${t('warrantySettings.none')}`}
            >
              {t('warrantySettings.none')}
            </Checkbox>
          )}
        />
        {dateInput('start')}
        <span aria-hidden="true">–</span>
        {dateInput('end')}
      </Space>
      <CellError form={form} name={`${name}.start`} />
      <CellError form={form} name={`${name}.end`} />
    </div>
  );
}

function SeasonCard({ form, writable }: { form: Form; writable: boolean }) {
  const { t } = useI18n();
  const list = useFieldArray({ control: form.control, name: 'citySeasons' });
  const cities = useCities(form);
  const rowLabel = (i: number) => t('warrantySettings.row', { n: i + 1 });
  const SEASONS = ['heating', 'cooling'] as const;
  return (
    <Card title={cardTitle(t('warrantySettings.seasons'))} data-testid="warranty-seasons">
      <Typography.Paragraph type="secondary">{t('warrantySettings.seasonsIntro')}</Typography.Paragraph>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('warrantySettings.defaultSeasons')}
      </Typography.Title>
      <ScrollRegion label={t('warrantySettings.defaultSeasons')}>
        <Table<{ season: (typeof SEASONS)[number] }>
          rowKey="season"
          size="small"
          pagination={false}
          dataSource={SEASONS.map((season) => ({ season }))}
          onRow={(r) => rowProps(`seasons.${r.season}`)()}
          columns={[
            { key: 'season', title: t('warrantySettings.season'), render: (_, r) => <strong>{t(`warrantySettings.${r.season}`)}</strong> },
            { key: 'dates', title: `${t('warrantySettings.start')} – ${t('warrantySettings.end')}`, render: (_, r) => <SeasonInputs form={form} name={`seasons.${r.season}`} writable={writable} label={t(`warrantySettings.${r.season}`)} /> },
          ]}
        />
      </ScrollRegion>
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 16 }}>
        {t('warrantySettings.citySeasons')}
      </Typography.Title>
      <ScrollRegion label={t('warrantySettings.citySeasons')}>
        <Table<{ id: string }>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={list.fields}
          onRow={(_, i) => rowProps(`citySeasons.${i}`)()}
          columns={[
            {
              key: 'city',
              title: t('warrantySettings.city'),
              render: (_, _r, i) => (
                <Cell form={form} name={`citySeasons.${i}.city`}>
                  <Controller
                    control={form.control}
                    name={`citySeasons.${i}.city`}
                    render={({ field: c }) => (
                      <AutoComplete
                        aria-label={`${t('warrantySettings.city')} ${rowLabel(i)}`}
                        value={(c.value as string) ?? ''}
                        options={cities}
                        filterOption={(typed, option) => String(option?.value ?? '').includes(typed)}
                        placeholder={t('warrantySettings.cityPlaceholder')}
                        disabled={!writable}
                        status={errorAt(form, `citySeasons.${i}.city`) ? 'error' : undefined}
                        onChange={(v: string) => c.onChange(v)}
                        onBlur={c.onBlur}
                        style={{ width: 120 }}
                      />
                    )}
                  />
                </Cell>
              ),
            },
            ...SEASONS.map((season) => ({
              key: season,
              title: t(`warrantySettings.${season}`),
              render: (_: unknown, _r: unknown, i: number) => <SeasonInputs form={form} name={`citySeasons.${i}.${season}`} writable={writable} label={`${t(`warrantySettings.${season}`)} ${rowLabel(i)}`} />,
            })),
            removeColumn(t('warrantySettings.remove'), rowLabel, writable, (i) => list.remove(i)),
          ]}
        />
      </ScrollRegion>
      {writable ? (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => list.append({ city: '', heating: { none: true, start: '', end: '' }, cooling: { none: true, start: '', end: '' } })}
          data-testid="add-city"
        >
          {t('warrantySettings.addCity')}
        </Button>
      ) : null}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// 4. Retention thresholds

function RetentionCard({ form, writable, defaults }: { form: Form; writable: boolean; defaults: Partial<Record<RetentionField, number>> | undefined }) {
  const { t } = useI18n();
  return (
    <Card title={cardTitle(t('warrantySettings.retention'))} data-testid="warranty-retention">
      <Typography.Paragraph type="secondary">{t('warrantySettings.retentionIntro')}</Typography.Paragraph>
      <ScrollRegion label={t('warrantySettings.retention')}>
        <Table<{ field: RetentionField }>
          rowKey="field"
          size="small"
          pagination={false}
          dataSource={RETENTION_FIELDS.map((field) => ({ field }))}
          onRow={(r) => rowProps(`retention.${r.field}`)()}
          columns={[
            {
              key: 'threshold',
              title: t('warrantySettings.threshold'),
              render: (_, { field }) => (
                <Space direction="vertical" size={0}>
                  <strong>{t(`warrantySettings.${field}`)}</strong>
                  <Typography.Text type="secondary" className="field-hint">
                    {t(`warrantySettings.${field}.desc`)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              key: 'value',
              title: t('warrantySettings.value'),
              render: (_, { field }) => (
                <Cell form={form} name={`retention.${field}`}>
                  <Controller
                    control={form.control}
                    name={`retention.${field}`}
                    render={({ field: c }) => (
                      <InputNumber
                        name={`retention.${field}`}
                        aria-label={t(`warrantySettings.${field}`)}
                        value={(c.value as number | null) ?? null}
                        placeholder={defaults?.[field] === undefined ? undefined : String(defaults[field])}
                        disabled={!writable}
                        status={errorAt(form, `retention.${field}`) ? 'error' : undefined}
                        onChange={(v) => c.onChange(typeof v === 'number' ? v : null)}
                        onBlur={c.onBlur}
                        style={{ width: 96 }}
                      />
                    )}
                  />
                </Cell>
              ),
            },
            {
              key: 'default',
              title: t('warrantySettings.default'),
              render: (_, { field }) => <Typography.Text type="secondary">{defaults?.[field] ?? '—'}</Typography.Text>,
            },
          ]}
        />
      </ScrollRegion>
    </Card>
  );
}
