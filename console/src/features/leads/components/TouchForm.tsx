/**
 * One screen to log a touch: channel, outcome, what was said, the next step. Checked in the browser
 * with the server's TouchBody schema (errors per field, in the user's language); the draft survives a
 * reload (sessionStorage) and a failure; `?log=1` (today's quick link) brings the form into view.
 */
import { useEffect, useRef, useState } from 'react';
import { Button, Flex, Form, Input, Radio, Typography } from 'antd';
import { Controller } from 'react-hook-form';
import { TouchBody } from '../../../../../api/leads/schemas.js';
import { TOUCH_CHANNELS, TOUCH_OUTCOMES, type TouchChannel, type TouchOutcome } from '../../../../../domain/leads/types.js';
import { useI18n } from '../../../i18n.js';
import { FieldRow, applyProblem, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useLeadAction, type Lead, type LeadDetail } from '../api.js';

interface TouchDraft {
  channel: TouchChannel;
  outcome: TouchOutcome;
  note: string;
  nextStep: string;
}

const EMPTY_DRAFT: TouchDraft = { channel: 'phone', outcome: 'reached', note: '', nextStep: '' };
const FIELDS = ['channel', 'outcome', 'note', 'nextStep'] as const;
const draftKey = (leadId: string) => `lead-touch-draft:${leadId}`;

function loadDraft(leadId: string): TouchDraft {
  try {
    const raw = window.sessionStorage.getItem(draftKey(leadId));
    if (!raw) return EMPTY_DRAFT;
    const d = JSON.parse(raw) as Partial<TouchDraft>;
    return {
      channel: (TOUCH_CHANNELS as readonly string[]).includes(d.channel ?? '') ? d.channel! : EMPTY_DRAFT.channel,
      outcome: (TOUCH_OUTCOMES as readonly string[]).includes(d.outcome ?? '') ? d.outcome! : EMPTY_DRAFT.outcome,
      note: typeof d.note === 'string' ? d.note : '',
      nextStep: typeof d.nextStep === 'string' ? d.nextStep : '',
    };
  } catch {
    return EMPTY_DRAFT;
  }
}

function saveDraft(leadId: string, d: Partial<TouchDraft> | null): void {
  try {
    if (d === null || ((d.note ?? '') === '' && (d.nextStep ?? '') === '' && d.channel === EMPTY_DRAFT.channel && d.outcome === EMPTY_DRAFT.outcome))
      window.sessionStorage.removeItem(draftKey(leadId));
    else window.sessionStorage.setItem(draftKey(leadId), JSON.stringify(d));
  } catch {
    // Storage may be disabled: the draft then lives as long as the page.
  }
}

export function TouchForm({ lead, onDone }: { lead: LeadDetail; onDone: (updated: Lead) => void }) {
  const { t, lang } = useI18n();
  const form = useSchemaForm(TouchBody, { defaultValues: loadDraft(lead.id) });
  const touch = useLeadAction('touch');
  const [error, setError] = useState<unknown>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const sub = form.watch((v) => saveDraft(lead.id, v as Partial<TouchDraft>));
    return () => sub.unsubscribe();
  }, [form, lead.id]);

  // `?log=1` (the quick link of today's follow-ups) brings the form into view, ready to type.
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get('log') !== '1') return;
    box.current?.scrollIntoView({ block: 'center' });
    box.current?.querySelector<HTMLInputElement>('input[name="channel"]:checked')?.focus();
  }, []);

  const submit = form.handleSubmit((v) => {
    setError(null);
    const body = { channel: v.channel, outcome: v.outcome, ...(v.note ? { note: v.note } : {}), ...(v.nextStep ? { nextStep: v.nextStep } : {}) };
    void touch.mutateAsync({ leadId: lead.id, body }).then(
      (updated) => {
        saveDraft(lead.id, null);
        form.reset(EMPTY_DRAFT);
        onDone(updated);
      },
      (err: unknown) => {
        const rest = applyProblem(form, lang, err, FIELDS);
        if (rest.length > 0 || !(err as { problem?: { errors?: unknown[] } }).problem?.errors?.length) setError(err);
      },
    );
  });

  return (
    <div ref={box}>
      <Form layout="vertical" component="form" onFinish={() => void submit()} data-testid="touch-form" className="touch-form" noValidate>
        <Typography.Paragraph type="secondary">{t('lead.touchIntro')}</Typography.Paragraph>
        {error ? (
          <>
            <ProblemAlert error={error} withCode />
            <Typography.Paragraph type="secondary">{t('lead.draftKept')}</Typography.Paragraph>
          </>
        ) : null}
        <FieldRow form={form} name="channel" label={t('lead.channel')} required>
          <Controller
            control={form.control}
            name="channel"
            render={({ field }) => (
              <Radio.Group
                name="channel"
                aria-label={t('lead.channel')}
                data-testid="touch-channel"
                optionType="button"
                buttonStyle="solid"
                value={field.value}
                onChange={(e) => field.onChange(e.target.value)}
                options={TOUCH_CHANNELS.map((c) => ({ value: c, label: t(`touchChannel.${c}` as const) }))}
              />
            )}
          />
        </FieldRow>
        <FieldRow form={form} name="outcome" label={t('lead.outcome')} required>
          <Controller
            control={form.control}
            name="outcome"
            render={({ field }) => (
              <Radio.Group
                name="outcome"
                aria-label={t('lead.outcome')}
                data-testid="touch-outcome"
                optionType="button"
                buttonStyle="solid"
                value={field.value}
                onChange={(e) => field.onChange(e.target.value)}
                options={TOUCH_OUTCOMES.map((o) => ({ value: o, label: t(`touchOutcome.${o}` as const) }))}
              />
            )}
          />
        </FieldRow>
        <Flex gap={16} wrap>
          <div style={{ flex: '1 1 260px' }}>
            <FieldRow form={form} name="note" label={t('lead.touchNote')}>
              <Controller control={form.control} name="note" render={({ field }) => <Input.TextArea {...field} value={field.value ?? ''} id="note" name="note" rows={3} maxLength={2000} />} />
            </FieldRow>
          </div>
          <div style={{ flex: '1 1 260px' }}>
            <FieldRow form={form} name="nextStep" label={t('lead.nextStep')} hint={t('lead.nextStepHint')}>
              <Controller
                control={form.control}
                name="nextStep"
                render={({ field }) => <Input.TextArea {...field} value={field.value ?? ''} id="nextStep" name="nextStep" rows={3} maxLength={500} />}
              />
            </FieldRow>
          </div>
        </Flex>
        <Button type="primary" htmlType="submit" loading={touch.isPending} data-testid="touch-submit">
          {touch.isPending ? t('lead.touchSaving') : t('lead.touchSubmit')}
        </Button>
      </Form>
    </div>
  );
}
