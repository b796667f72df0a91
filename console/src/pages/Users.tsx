import { useCallback, useId, useState, type FormEvent } from 'react';
import { hasPermission, ROLES, SCOPE_LEVELS, type Role, type ScopeLevel } from '../../../domain/access.js';
import { api, fieldErrorsOf, type FieldError, type CreateUserRequest, type User } from '../api.js';
import { useI18n } from '../i18n.js';
import { Icon } from '../icons.js';
import { scopeLabel, useOrgLookups, type OrgLookups } from '../lookups.js';
import { Badge, Card, DataTable, Field, IconButton, Pagination, ProblemAlert, SuccessNotice, useAsync, usePaging, type Column } from '../ui.js';

const FIELDS = ['username', 'displayName', 'email', 'password', 'role', 'scopeLevel', 'companyId', 'projectId'] as const;

export function UsersPage({ user }: { user: User }) {
  const { t } = useI18n();
  const canWrite = hasPermission(user.role, 'users:write');
  const { page, pageSize, setPage, setPageSize } = usePaging();
  const [role, setRole] = useState<Role | ''>('');
  const [showForm, setShowForm] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const roleFilterId = useId();
  const lookups = useOrgLookups();
  const list = useAsync((signal) => api.users({ role: role || undefined, page, pageSize }, signal), [role, page, pageSize]);
  const clearNotice = useCallback(() => setNotice(null), []);

  const columns: Column<User>[] = [
    { key: 'username', header: t('users.username'), render: (u) => <span className="mono">{u.username}</span> },
    { key: 'displayName', header: t('users.displayName'), render: (u) => <strong>{u.displayName}</strong> },
    { key: 'email', header: t('users.email'), render: (u) => u.email ?? '—' },
    { key: 'role', header: t('users.role'), render: (u) => <Badge tone="purple">{t(`role.${u.role}` as const)}</Badge> },
    { key: 'scope', header: t('users.scope'), render: (u) => scopeLabel(u.scope, lookups, t) },
    {
      key: 'active',
      header: t('users.status'),
      render: (u) => (u.active ? <Badge tone="green">{t('users.active')}</Badge> : <Badge tone="grey">{t('users.inactive')}</Badge>),
    },
  ];

  return (
    <div className="page">
      <SuccessNotice message={notice} onClose={clearNotice} />
      {showForm && canWrite ? (
        <NewUserForm
          lookups={lookups}
          onCancel={() => setShowForm(false)}
          onCreated={(u) => {
            setShowForm(false);
            setNotice(t('users.created', { name: u.username }));
            setPage(1);
            list.reload();
          }}
        />
      ) : null}
      <Card
        title={t('users.title')}
        actions={
          <>
            <IconButton icon="refresh" label={t('action.refresh')} onClick={list.reload} />
            {canWrite && !showForm ? (
              <button type="button" className="btn btn-primary" onClick={() => setShowForm(true)} data-testid="new-user">
                <Icon name="plus" size={16} /> {t('users.new')}
              </button>
            ) : null}
          </>
        }
      >
        {!canWrite ? <p className="card-intro muted">{t('users.readOnly')}</p> : null}
        <div className="toolbar">
          <div className="inline-field">
            <label htmlFor={roleFilterId}>{t('users.filterRole')}</label>
            <select
              id={roleFilterId}
              name="role"
              value={role}
              onChange={(e) => {
                setRole(e.target.value as Role | '');
                setPage(1);
              }}
            >
              <option value="">{t('common.all')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}` as const)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <DataTable testId="users-table" columns={columns} rows={list.data?.items} rowKey={(u) => u.id} loading={list.loading} />
        <Pagination page={page} pageSize={pageSize} total={list.data?.total ?? 0} onPage={setPage} onPageSize={setPageSize} />
      </Card>
    </div>
  );
}

function NewUserForm({ lookups, onCreated, onCancel }: { lookups: OrgLookups; onCreated: (u: User) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('AGENT');
  const [scopeLevel, setScopeLevel] = useState<ScopeLevel>('GROUP');
  const [companyId, setCompanyId] = useState('');
  const [projectId, setProjectId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<FieldError[]>([]);
  const ids = {
    username: useId(),
    displayName: useId(),
    email: useId(),
    password: useId(),
    role: useId(),
    scopeLevel: useId(),
    companyId: useId(),
    projectId: useId(),
  };

  const needsCompany = scopeLevel === 'COMPANY' || scopeLevel === 'PROJECT';
  const needsProject = scopeLevel === 'PROJECT';
  const projectChoices = lookups.projects.filter((p) => !companyId || p.companyId === companyId);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Record<string, string> = {};
    if (!username.trim()) local.username = t('validation.required');
    if (!displayName.trim()) local.displayName = t('validation.required');
    if (!password) local.password = t('validation.required');
    if (needsCompany && !companyId) local.companyId = t('validation.required');
    if (needsProject && !projectId) local.projectId = t('validation.required');
    setError(null);
    setOtherErrors([]);
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;

    const body: CreateUserRequest = {
      username: username.trim(),
      displayName: displayName.trim(),
      password,
      role,
      scopeLevel,
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(needsCompany ? { companyId } : {}),
      ...(needsProject ? { projectId } : {}),
    };
    setBusy(true);
    try {
      onCreated(await api.createUser(body));
    } catch (err) {
      const { byField, rest } = fieldErrorsOf(err, FIELDS);
      setFieldErrors(byField);
      setOtherErrors(rest);
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Card title={t('users.new')} className="form-card">
      <form className="form" onSubmit={submit} noValidate data-testid="user-form">
        <ProblemAlert error={error} extraErrors={otherErrors} />
        <div className="form-grid">
          <Field label={t('users.username')} htmlFor={ids.username} error={fieldErrors.username} required>
            <input
              id={ids.username}
              name="username"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              maxLength={64}
              onChange={(e) => setUsername(e.target.value)}
              autoFocus
            />
          </Field>
          <Field label={t('users.displayName')} htmlFor={ids.displayName} error={fieldErrors.displayName} required>
            <input id={ids.displayName} name="displayName" value={displayName} maxLength={100} onChange={(e) => setDisplayName(e.target.value)} />
          </Field>
          <Field label={t('users.email')} htmlFor={ids.email} error={fieldErrors.email}>
            <input id={ids.email} name="email" type="email" value={email} maxLength={254} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label={t('users.password')} htmlFor={ids.password} error={fieldErrors.password} hint={t('users.passwordHint')} required>
            <input id={ids.password} name="password" type="password" autoComplete="new-password" value={password} maxLength={256} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          <Field label={t('users.role')} htmlFor={ids.role} error={fieldErrors.role} required>
            <select id={ids.role} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}` as const)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('users.scopeLevel')} htmlFor={ids.scopeLevel} error={fieldErrors.scopeLevel} required>
            <select
              id={ids.scopeLevel}
              name="scopeLevel"
              value={scopeLevel}
              onChange={(e) => {
                setScopeLevel(e.target.value as ScopeLevel);
                setProjectId('');
              }}
            >
              {SCOPE_LEVELS.map((s) => (
                <option key={s} value={s}>
                  {t(`scope.${s}` as const)}
                </option>
              ))}
            </select>
          </Field>
          {needsCompany ? (
            <Field label={t('users.company')} htmlFor={ids.companyId} error={fieldErrors.companyId} required>
              <select
                id={ids.companyId}
                name="companyId"
                value={companyId}
                onChange={(e) => {
                  setCompanyId(e.target.value);
                  setProjectId('');
                }}
              >
                <option value="">{t('common.choose')}</option>
                {lookups.companies.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.code})
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {needsProject ? (
            <Field label={t('users.project')} htmlFor={ids.projectId} error={fieldErrors.projectId} required>
              <select id={ids.projectId} name="projectId" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
                <option value="">{t('common.choose')}</option>
                {projectChoices.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.code})
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="button" className="btn btn-ghost" onClick={onCancel} disabled={busy}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('action.saving') : t('action.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}
