/**
 * A project: its facts, its units by status, and (for the sales team and whoever publishes them) its
 * construction-progress notes (工程进度), newest first; the monthly progress email to each buyer
 * quotes the latest. Sales managers and administrators publish a note here; notes are plain text.
 */
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { hasPermission } from '../../../domain/access.js';
import { api, fieldErrorsOf, UNIT_STATUSES, uuid, type FieldError, type Unit, type UnitStatus, type User } from '../api.js';
import { formatArea, formatCalendarDate, formatDateTime, formatMoney, formatNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { Link } from '../router.js';
import { salesApi } from '../sales-api.js';
import { Badge, Card, DataTable, Field, Pagination, ProblemAlert, SuccessNotice, useAsync, usePaging, type BadgeTone, type Column } from '../ui.js';

const UNIT_TONE: Record<UnitStatus, BadgeTone> = { AVAILABLE: 'green', RESERVED: 'amber', SOLD: 'blue', DELIVERED: 'grey' };

export function ProjectDetailPage({ id, user }: { id: string; user: User }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<UnitStatus | ''>('');
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const statusId = useId();
  const project = useAsync((signal) => api.project(id, signal), [id]);
  const units = useAsync((signal) => api.units(id, { page, pageSize, status: status || undefined }, signal), [id, page, pageSize, status]);

  const columns: Column<Unit>[] = [
    { key: 'building', header: t('units.building'), render: (u) => u.buildingName },
    { key: 'number', header: t('units.number'), render: (u) => <span className="mono">{u.number}</span> },
    { key: 'floor', header: t('units.floor'), className: 'num', render: (u) => u.floor },
    { key: 'area', header: t('units.area'), className: 'num', render: (u) => formatArea(u.area, lang) },
    { key: 'status', header: t('units.status'), render: (u) => <Badge tone={UNIT_TONE[u.status]}>{t(`unitStatus.${u.status}` as const)}</Badge> },
  ];

  const p = project.data;
  return (
    <div className="page">
      <div className="breadcrumbs">
        <Link to="/projects" className="back-link">
          <Icon name="back" size={16} /> {t('projects.backToList')}
        </Link>
      </div>
      <ProblemAlert error={project.error} onRetry={project.reload} />
      <Card title={p ? `${p.name}` : t('table.loading')}>
        {p ? (
          <dl className="detail-grid" data-testid="project-detail">
            <div>
              <dt>{t('projects.code')}</dt>
              <dd className="mono">{p.code}</dd>
            </div>
            <div>
              <dt>{t('projects.company')}</dt>
              <dd>{p.companyName}</dd>
            </div>
            <div>
              <dt>{t('projects.city')}</dt>
              <dd>{p.city ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('projects.timeZone')}</dt>
              <dd>{p.timeZone}</dd>
            </div>
            <div>
              <dt>{t('projects.warranty')}</dt>
              <dd>{formatMoney(p.warrantyAuthorisationAmount, lang)}</dd>
            </div>
            <div>
              <dt>{t('projects.deliveryDate')}</dt>
              <dd>{formatCalendarDate(p.deliveryDate, lang)}</dd>
            </div>
            <div>
              <dt>{t('projects.units')}</dt>
              <dd>{formatNumber(p.unitCount, lang)}</dd>
            </div>
          </dl>
        ) : null}
      </Card>

      <ProgressNotes projectId={id} user={user} timeZone={p?.timeZone} />

      <Card
        title={t('units.title')}
        actions={
          <div className="inline-field">
            <label htmlFor={statusId}>{t('units.filterStatus')}</label>
            <select
              id={statusId}
              name="status"
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as UnitStatus | '');
                setPage(1);
              }}
            >
              <option value="">{t('common.all')}</option>
              {UNIT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`unitStatus.${s}` as const)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <ProblemAlert error={units.error} onRetry={units.reload} />
        <DataTable testId="units-table" columns={columns} rows={units.data?.items} rowKey={(u) => u.id} loading={units.loading} />
        <Pagination page={page} pageSize={pageSize} total={units.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}

const NOTE_MAX = 4000;

/** 工程进度: the list for everyone who sees the project, the form for those who publish notes. */
function ProgressNotes({ projectId, user, timeZone }: { projectId: string; user: User; timeZone: string | undefined }) {
  const { t, lang } = useI18n();
  const canRead = hasPermission(user.role, 'org:read');
  const canWrite = hasPermission(user.role, 'progress-notes:write');
  const [notice, setNotice] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);
  const { page, pageSize, setPage, setPageSize } = usePaging(10);
  const notes = useAsync((signal) => (canRead ? salesApi.progressNotes(projectId, { page, pageSize }, signal) : Promise.resolve(null)), [canRead, projectId, page, pageSize]);
  if (!canRead && !canWrite) return null;
  const items = notes.data?.items ?? [];
  const total = notes.data?.total ?? 0;

  return (
    <Card title={t('progressNotes.title')}>
      <div data-testid="progress-notes">
        <SuccessNotice message={notice} onClose={clearNotice} />
        <p className="card-intro muted">{t('progressNotes.intro')}</p>
        {canWrite ? (
          <ProgressNoteForm
            projectId={projectId}
            onPublished={() => {
              setNotice(t('progressNotes.published'));
              if (page === 1) notes.reload();
              else setPage(1);
            }}
          />
        ) : null}
        {canRead ? (
          <>
            <ProblemAlert error={notes.error} onRetry={notes.reload} />
            {items.length > 0 ? (
              <ol className="timeline" data-testid="progress-note-list">
                {items.map((n, i) => (
                  <li key={n.id} className="timeline-item" data-testid="progress-note" data-note-id={n.id}>
                    <div className="timeline-head">
                      <span className="muted">{formatDateTime(n.createdAt, lang, timeZone)}</span>
                      {page === 1 && i === 0 ? <Badge tone="blue">{t('progressNotes.latest')}</Badge> : null}
                    </div>
                    <div className="timeline-data pre-wrap" data-testid="progress-note-text">
                      {n.text}
                    </div>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="empty-note muted" data-testid="progress-notes-empty">
                {notes.loading ? t('table.loading') : t('progressNotes.empty')}
              </p>
            )}
            {total > pageSize || page > 1 ? <Pagination page={page} pageSize={pageSize} total={total} onPage={setPage} onPageSize={setPageSize} /> : null}
          </>
        ) : null}
      </div>
    </Card>
  );
}

function ProgressNoteForm({ projectId, onPublished }: { projectId: string; onPublished: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  // Kept across retries of the same text (a retried network call publishes once); renewed on any edit.
  const keyRef = useRef(uuid());
  const textId = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setOtherErrors([]);
    if (!text.trim()) {
      setFieldErrors({ text: t('validation.required') });
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      await salesApi.publishProgressNote(projectId, { text: text.trim() }, keyRef.current);
      keyRef.current = uuid();
      setText('');
      onPublished();
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, ['text']);
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="progress-note-form">
      <ProblemAlert error={error} extraErrors={otherErrors} withCode />
      <Field label={t('progressNotes.text')} htmlFor={textId} required error={fieldErrors.text} hint={t('progressNotes.textHint')}>
        <textarea
          id={textId}
          name="text"
          rows={3}
          maxLength={NOTE_MAX}
          value={text}
          onChange={(e) => {
            keyRef.current = uuid();
            setText(e.target.value);
          }}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="progress-note-submit">
          {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
          {busy ? t('progressNotes.publishing') : t('progressNotes.publish')}
        </button>
      </div>
    </form>
  );
}
