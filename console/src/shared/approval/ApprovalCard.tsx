/**
 * One shape for every approval in the console (a case's escalation, a sale's cancellation, unit
 * change or rename): a card with what is asked (the record, its badges, a countdown), why (the
 * reason) and who asked when; approve or reject with a comment, checked with the server's own body
 * schema before sending; and a list of such cards from which a decided card leaves at once
 * (optimistically, put back with the reason if the server refuses) with a confirmation message.
 * Each feature says what its record is and how a decision is sent; the words are the feature's.
 */
import { Fragment, useState, type ReactNode } from 'react';
import { Controller } from 'react-hook-form';
import { Button, Card, Empty, Form, Input, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { FieldRow, useSchemaForm } from '../forms.js';
import { ProblemAlert } from '../ProblemAlert.js';

export type Decision = 'approve' | 'reject';

/** How one decision is asked for: its comment field (checked by the server's schema) and its words. */
export interface DecisionSpec {
  /** The server's body schema for the comment (e.g. `ApproveBody`, `RejectBody`). */
  schema: Parameters<typeof useSchemaForm>[0];
  /** The comment's field in that schema (`note`, `reason`). */
  field: string;
  /** The comment's label; `required` marks it as such. */
  label: ReactNode;
  required?: boolean;
  /** The button that opens the form and the form's submit button. */
  button: ReactNode;
  /** data-testid of the button that opens the form. */
  testId: string;
}

export interface DecisionProps {
  approve: DecisionSpec;
  reject: DecisionSpec;
  /** The comment as typed (trimmed; '' when none). */
  onDecide: (kind: Decision, text: string) => void;
  cancelLabel: ReactNode;
  /** data-testid of the comment's textarea (tests fill it). */
  inputTestId?: string;
  /** Sends nothing while a decision is on its way. */
  busy?: boolean;
}

/** Approve / reject buttons; either opens its comment form; submit decides. */
export function ApprovalDecision(p: DecisionProps) {
  const [mode, setMode] = useState<Decision | null>(null);
  if (mode) return <DecisionForm kind={mode} spec={p[mode]} {...p} onCancel={() => setMode(null)} onDecide={(text) => p.onDecide(mode, text)} />;
  return (
    <Space data-testid="approval-decision">
      <Button type="primary" data-testid={p.approve.testId} onClick={() => setMode('approve')} disabled={p.busy}>
        {p.approve.button}
      </Button>
      <Button data-testid={p.reject.testId} onClick={() => setMode('reject')} disabled={p.busy}>
        {p.reject.button}
      </Button>
    </Space>
  );
}

function DecisionForm({
  kind,
  spec,
  cancelLabel,
  inputTestId,
  busy,
  onCancel,
  onDecide,
}: {
  kind: Decision;
  spec: DecisionSpec;
  cancelLabel: ReactNode;
  inputTestId?: string;
  busy?: boolean;
  onCancel: () => void;
  onDecide: (text: string) => void;
}) {
  const form = useSchemaForm(spec.schema, { defaultValues: { [spec.field]: '' } as never });
  const submit = form.handleSubmit((v) => onDecide(String((v as Record<string, unknown>)[spec.field] ?? '').trim()));
  return (
    <Form layout="vertical" component="form" onFinish={() => void submit()} noValidate data-testid="approval-decision" data-kind={kind}>
      <FieldRow form={form as never} name={spec.field} label={spec.label} required={spec.required}>
        <Controller
          control={form.control}
          name={spec.field as never}
          render={({ field: f }) => (
            <Input.TextArea {...f} value={(f.value as string) ?? ''} id={spec.field} name="text" rows={2} maxLength={2000} autoFocus data-testid={inputTestId} />
          )}
        />
      </FieldRow>
      <Space>
        <Button onClick={onCancel}>{cancelLabel}</Button>
        <Button type="primary" danger={kind === 'reject'} htmlType="submit" data-testid="decision-submit" loading={busy}>
          {spec.button}
        </Button>
      </Space>
    </Form>
  );
}

export interface ApprovalCardProps {
  /** `data-testid` of the card and its data attributes (`data-case-id`, `data-sale-id`, …). */
  testId: string;
  attrs?: Record<`data-${string}`, string | undefined>;
  /** What is asked: the record's link, its badges, the decision's countdown. */
  head: ReactNode;
  /** Why: the requester's reason, as text. */
  reason?: ReactNode;
  reasonTestId?: string;
  /** Who asked and when (and anything else worth a line). */
  meta?: ReactNode;
  /** More facts (a new unit, a new buyer's name) and the decision. */
  children?: ReactNode;
}

export function ApprovalCard(p: ApprovalCardProps) {
  return (
    <Card size="small" data-testid={p.testId} {...p.attrs}>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        {p.head}
      </Space>
      {p.reason !== undefined ? (
        <Typography.Paragraph data-testid={p.reasonTestId} style={{ marginBottom: 4, whiteSpace: 'pre-wrap' }}>
          {p.reason}
        </Typography.Paragraph>
      ) : null}
      {p.meta ? <Typography.Paragraph type="secondary">{p.meta}</Typography.Paragraph> : null}
      {p.children}
    </Card>
  );
}

export interface ApprovalListProps<T> {
  title: ReactNode;
  intro: ReactNode;
  items: readonly T[];
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  loading: boolean;
  error: unknown;
  /** A refused decision's problem. */
  decideError?: unknown;
  onRefresh: () => void;
  refreshing?: boolean;
  refreshLabel: string;
  emptyText: ReactNode;
  testIds: { list: string; empty: string; refresh: string };
  /** Below the cards (a pager). */
  footer?: ReactNode;
}

/** The page of an approval queue: a card per request, empty state, errors, refresh. */
export function ApprovalList<T>(p: ApprovalListProps<T>) {
  return (
    <div className="page">
      <Card
        title={<h2 className="card-title-h">{p.title}</h2>}
        extra={
          <Button icon={<ReloadOutlined />} onClick={p.onRefresh} data-testid={p.testIds.refresh} aria-label={p.refreshLabel} loading={p.refreshing}>
            {p.refreshLabel}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{p.intro}</Typography.Paragraph>
        {p.error ? <ProblemAlert error={p.error} onRetry={p.onRefresh} /> : null}
        {p.decideError ? <ProblemAlert error={p.decideError} /> : null}
        {p.items.length === 0 && !p.loading ? <Empty data-testid={p.testIds.empty} description={p.emptyText} /> : null}
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid={p.testIds.list}>
          {p.items.map((item) => (
            <Fragment key={p.itemKey(item)}>{p.renderItem(item)}</Fragment>
          ))}
        </Space>
        {p.footer}
      </Card>
    </div>
  );
}
