/**
 * The sales manager's controls, shared by the pool, the loss-review queue and the lead page:
 * assign a lead to a member of the sales team, and decide a lost lead's review (take it over,
 * reassign it, confirm it closed). The workflow decides; a refusal comes back as 409 with its code.
 * Both are mutations (features/leads/api.ts): on success the lead and the lists refetch.
 */
import { useId, useState } from 'react';
import { Button, Flex, Form, Space } from 'antd';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useLeadAction, type Lead, type ReviewDecision } from '../api.js';
import { StaffSelect } from './lead-ui.js';

const projectOf = (lead: Lead) => ({ id: lead.projectId, companyId: lead.companyId, groupId: lead.groupId });

export function AssignControl({
  lead,
  staff,
  staffLoading,
  onDone,
}: {
  lead: Lead;
  staff: readonly User[];
  staffLoading: boolean;
  onDone: (updated: Lead, owner: User | undefined) => void;
}) {
  const { t } = useI18n();
  const [ownerId, setOwnerId] = useState('');
  const assign = useLeadAction('assign');
  const id = useId();

  const submit = () => {
    if (!ownerId || assign.isPending) return;
    // mutateAsync, not mutate's callbacks: a list refetched meanwhile may unmount this row, and the page must still hear of it.
    assign.mutateAsync({ leadId: lead.id, body: { ownerId } }).then(
      (updated) => onDone(updated, staff.find((u) => u.id === ownerId)),
      () => undefined, // shown from assign.error
    );
  };

  return (
    <div className="assign-control" data-testid="assign-control">
      <label htmlFor={id} className="visually-hidden">
        {t('lead.assignTo')}
      </label>
      <Space.Compact>
        <StaffSelect
          id={id}
          staff={staff}
          project={projectOf(lead)}
          exclude={lead.ownerId}
          value={ownerId}
          onChange={setOwnerId}
          loading={staffLoading}
          testId="assign-select"
          label={t('lead.assignTo')}
        />
        <Button type="primary" disabled={!ownerId} loading={assign.isPending} onClick={submit} data-testid="assign-submit">
          {assign.isPending ? t('action.saving') : t('pool.assign')}
        </Button>
      </Space.Compact>
      {assign.error ? <ProblemAlert error={assign.error} withCode /> : null}
    </div>
  );
}

const LABEL: Record<ReviewDecision, 'review.takeOver' | 'review.reassign' | 'review.close'> = {
  take_over: 'review.takeOver',
  reassign: 'review.reassign',
  close: 'review.close',
};

export function ReviewControls({
  lead,
  user,
  staff,
  staffLoading,
  onDone,
}: {
  lead: Lead;
  user: User;
  staff: readonly User[];
  staffLoading: boolean;
  onDone: (decision: ReviewDecision, updated: Lead, owner: User | undefined) => void;
}) {
  const { t } = useI18n();
  const [decision, setDecision] = useState<ReviewDecision | null>(null);
  const [ownerId, setOwnerId] = useState('');
  const [missing, setMissing] = useState(false);
  const review = useLeadAction('review');
  const id = useId();

  const submit = () => {
    if (!decision || review.isPending) return;
    if (decision === 'reassign' && !ownerId) {
      setMissing(true);
      return;
    }
    review.mutateAsync({ leadId: lead.id, body: decision === 'reassign' ? { decision, ownerId } : { decision } }).then(
      (updated) => onDone(decision, updated, decision === 'reassign' ? staff.find((u) => u.id === ownerId) : decision === 'take_over' ? user : undefined),
      () => undefined, // shown from review.error
    );
  };

  return (
    <div className="review-control" data-testid="review-control">
      <Space wrap role="group" aria-label={t('review.title')}>
        {(['take_over', 'reassign', 'close'] as const).map((d) => (
          <Button
            key={d}
            type={decision === d ? 'primary' : 'default'}
            danger={d === 'close' && decision === d}
            aria-pressed={decision === d}
            data-testid={`review-${d}`}
            disabled={review.isPending}
            onClick={() => {
              setDecision(d);
              setMissing(false);
              review.reset();
            }}
          >
            {t(LABEL[d])}
          </Button>
        ))}
      </Space>
      {decision ? (
        <Form layout="vertical" component="div" style={{ marginTop: 12 }}>
          {review.error ? <ProblemAlert error={review.error} withCode /> : null}
          {decision === 'reassign' ? (
            <Form.Item
              label={t('lead.assignTo')}
              htmlFor={id}
              required
              validateStatus={missing && !ownerId ? 'error' : undefined}
              help={missing && !ownerId ? <span role="alert">{t('validation.required')}</span> : undefined}
            >
              <StaffSelect id={id} staff={staff} project={projectOf(lead)} exclude={lead.ownerId} value={ownerId} onChange={setOwnerId} loading={staffLoading} testId="review-owner" />
            </Form.Item>
          ) : null}
          <Flex gap={8} justify="flex-end" wrap>
            <Button disabled={review.isPending} onClick={() => setDecision(null)}>
              {t('action.cancel')}
            </Button>
            <Button type="primary" danger={decision === 'close'} loading={review.isPending} onClick={submit} data-testid="review-submit">
              {review.isPending ? t('action.saving') : `${t('review.confirm')} · ${t(LABEL[decision])}`}
            </Button>
          </Flex>
        </Form>
      ) : null}
    </div>
  );
}
