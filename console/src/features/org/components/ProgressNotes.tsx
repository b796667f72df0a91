/**
 * 工程进度: a project's construction-progress notes, newest first, for everyone who sees the project;
 * the form for those who publish them (sales managers, administrators). The monthly progress email
 * to each buyer quotes the latest. The form is checked with the server's ProgressNoteBody.
 */
import { useRef, useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Pagination, Tag, Timeline, Typography } from 'antd';
import { Controller } from 'react-hook-form';
import { hasPermission } from '../../../../../domain/access.js';
import { ProgressNoteBody } from '../../../../../api/sales/schemas.js';
import { uuid, type FieldError, type User } from '../../../api.js';
import { formatDateTime } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useProgressNotes, usePublishProgressNote } from '../api.js';

const NOTE_MAX = 4000;
const PAGE_SIZE = 10;

export function ProgressNotes({ projectId, user, timeZone }: { projectId: string; user: User; timeZone: string | undefined }) {
  const { t, lang } = useI18n();
  const canRead = hasPermission(user.role, 'org:read');
  const canWrite = hasPermission(user.role, 'progress-notes:write');
  const [page, setPage] = useState(1);
  const notes = useProgressNotes(projectId, { page, pageSize: PAGE_SIZE }, canRead);
  if (!canRead && !canWrite) return null;
  const items = notes.data?.items ?? [];
  const total = notes.data?.total ?? 0;

  return (
    <Card title={<h2 className="card-title-h">{t('progressNotes.title')}</h2>}>
      <div data-testid="progress-notes">
        <Typography.Paragraph type="secondary" className="card-intro">
          {t('progressNotes.intro')}
        </Typography.Paragraph>
        {canWrite ? <ProgressNoteForm projectId={projectId} onPublished={() => setPage(1)} /> : null}
        {canRead ? (
          <>
            {notes.error ? <ProblemAlert error={notes.error} onRetry={() => void notes.refetch()} /> : null}
            {items.length > 0 ? (
              <Timeline
                data-testid="progress-note-list"
                style={{ marginTop: 16 }}
                items={items.map((n, i) => ({
                  key: n.id,
                  content: (
                    <div data-testid="progress-note" data-note-id={n.id}>
                      <Typography.Text type="secondary">{formatDateTime(n.createdAt, lang, timeZone)}</Typography.Text>{' '}
                      {page === 1 && i === 0 ? (
                        <Tag color="#0958d9" data-testid="progress-note-latest">
                          {t('progressNotes.latest')}
                        </Tag>
                      ) : null}
                      <div className="pre-wrap" data-testid="progress-note-text">
                        {n.text}
                      </div>
                    </div>
                  ),
                }))}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="progress-notes-empty">{notes.isLoading ? t('table.loading') : t('progressNotes.empty')}</span>} />
            )}
            {total > PAGE_SIZE || page > 1 ? <Pagination current={page} pageSize={PAGE_SIZE} total={total} onChange={setPage} showSizeChanger={false} size="small" /> : null}
          </>
        ) : null}
      </div>
    </Card>
  );
}

function ProgressNoteForm({ projectId, onPublished }: { projectId: string; onPublished: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const publish = usePublishProgressNote(projectId);
  const [rest, setRest] = useState<FieldError[]>([]);
  // Kept across retries of the same text (a retried network call publishes once); renewed on any edit.
  const keyRef = useRef(uuid());
  const form = useSchemaForm(ProgressNoteBody, { defaultValues: { text: '' } });
  const { control, handleSubmit, reset } = form;

  const submit = handleSubmit(async (body) => {
    setRest([]);
    try {
      await publish.mutateAsync({ body, key: keyRef.current });
      keyRef.current = uuid();
      reset({ text: '' });
      void message.success({ content: t('progressNotes.published'), key: 'progress-note' });
      onPublished();
    } catch (err) {
      setRest(applyProblem(form, lang, err, ['text']));
    }
  });

  return (
    <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="progress-note-form">
      {publish.error ? <ProblemAlert error={publish.error} extraErrors={rest} withCode /> : null}
      <FieldRow form={form} name="text" label={t('progressNotes.text')} required hint={t('progressNotes.textHint')}>
        <Controller
          control={control}
          name="text"
          render={({ field }) => (
            <Input.TextArea
              {...field}
              id="text"
              rows={3}
              maxLength={NOTE_MAX}
              onChange={(e) => {
                keyRef.current = uuid();
                field.onChange(e.target.value);
              }}
            />
          )}
        />
      </FieldRow>
      <Button type="primary" htmlType="submit" loading={publish.isPending} data-testid="progress-note-submit">
        {publish.isPending ? t('progressNotes.publishing') : t('progressNotes.publish')}
      </Button>
    </Form>
  );
}
