/**
 * 用户: the staff within the reader's scope, found by name or username and filtered by role and
 * state on the list kit (filters and page in the address); administrators create users with a form
 * checked by the server's schema (components/UserForm).
 */
import { useState } from 'react';
import { App, Button, Card, Space, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { hasPermission, ROLES, type Role } from '../../../../../domain/access.js';
import type { User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { DataTable, type DataColumn } from '../../../shared/table/DataTable.js';
import { FilterBar } from '../../../shared/table/FilterBar.js';
import { useListParams } from '../../../shared/table/useListParams.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useUsers } from '../api.js';
import { scopeLabel, useOrgLookups } from '../lookups.js';
import { UserForm } from '../components/UserForm.js';

const SORTS = ['default'] as const;

export function UsersPage({ user }: { user: User }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const canWrite = hasPermission(user.role, 'users:write');
  const [showForm, setShowForm] = useState(false);
  const params = useListParams({ q: '', role: '', active: '' }, SORTS);
  const q = params.get('q');
  const role = (ROLES as readonly string[]).includes(params.get('role')) ? (params.get('role') as Role) : undefined;
  const active = params.get('active') === 'true' || params.get('active') === 'false' ? (params.get('active') as 'true' | 'false') : undefined;
  const list = useUsers({ page: params.page, pageSize: params.pageSize, q: q || undefined, role, active });
  const lookups = useOrgLookups();
  const { companies, projects } = lookups;

  const columns: DataColumn<User>[] = [
    { key: 'username', title: t('users.username'), always: true, width: 150, render: (_, u) => <span className="mono">{u.username}</span> },
    { key: 'displayName', title: t('users.displayName'), width: 140, render: (_, u) => <strong>{u.displayName}</strong> },
    { key: 'email', title: t('users.email'), optional: true, width: 200, render: (_, u) => u.email ?? '—' },
    { key: 'role', title: t('users.role'), width: 140, render: (_, u) => <Tag color="#531dab">{t(`role.${u.role}` as const)}</Tag> },
    { key: 'scope', title: t('users.scope'), width: 180, render: (_, u) => scopeLabel(u.scope, lookups, t) },
    {
      key: 'active',
      title: t('users.status'),
      width: 90,
      render: (_, u) => (u.active ? <Tag color="#237804">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>),
    },
  ];

  return (
    <div className="page">
      {showForm && canWrite ? (
        <UserForm
          companies={companies}
          projects={projects}
          onCancel={() => setShowForm(false)}
          onCreated={(u) => {
            setShowForm(false);
            void message.success({ content: t('users.created', { name: u.username }), key: 'user-created' });
            params.setPage(1);
          }}
        />
      ) : null}
      <Card
        title={<h2 className="card-title-h">{t('users.title')}</h2>}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isLoading}>
              {t('action.refresh')}
            </Button>
            {canWrite && !showForm ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setShowForm(true)} data-testid="new-user">
                {t('users.new')}
              </Button>
            ) : null}
          </Space>
        }
      >
        {!canWrite ? <Typography.Paragraph type="secondary">{t('users.readOnly')}</Typography.Paragraph> : null}
        <FilterBar
          id="users"
          params={params}
          search={{ name: 'q', label: t('users.search'), width: 260, maxLength: 50 }}
          filters={[
            { name: 'role', label: t('users.filterRole'), value: role ?? '', width: 160, search: true, options: [{ value: '', label: t('common.all') }, ...ROLES.map((r) => ({ value: r, label: t(`role.${r}` as const) }))] },
            {
              name: 'active',
              label: t('users.status'),
              value: active ?? '',
              width: 110,
              options: [
                { value: '', label: t('common.all') },
                { value: 'true', label: t('users.active') },
                { value: 'false', label: t('users.inactive') },
              ],
            },
          ]}
        />
        {list.error ? <ProblemAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        <DataTable<User, 'default'>
          id="users"
          rowKey="id"
          columns={columns}
          rows={list.data?.items}
          total={list.data?.total ?? 0}
          loading={list.isLoading}
          params={params}
          defaultSort="default"
          emptyText={q ? t('users.noMatch', { q }) : undefined}
        />
      </Card>
    </div>
  );
}
