/**
 * 新建用户: checked in the browser with the server's CreateUserBody (username format, a password of
 * at least 10 characters, a company or project for those scopes) before it is sent, each error under
 * its field in the user's language; a refusal the server still sends lands on its field too.
 */
import { useState } from 'react';
import { Button, Card, Col, Form, Input, Row, Select, Space } from 'antd';
import { Controller } from 'react-hook-form';
import { ROLES, SCOPE_LEVELS } from '../../../../../domain/access.js';
import { CreateUserBody } from '../../../../../api/users/schemas.js';
import type { Company, FieldError, Project, User } from '../../../api.js';
import { useI18n } from '../../../i18n.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useCreateUser } from '../api.js';

const FIELDS = ['username', 'displayName', 'email', 'password', 'role', 'scopeLevel', 'companyId', 'projectId'] as const;
/** '' from a cleared input is "not given" to the schema (an optional email, company or project). */
const orUndefined = (v: string | undefined | null) => (v ? v : undefined);

export function UserForm({ companies, projects, onCreated, onCancel }: { companies: Company[]; projects: Project[]; onCreated: (u: User) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const create = useCreateUser();
  const [rest, setRest] = useState<FieldError[]>([]);
  const form = useSchemaForm(CreateUserBody, {
    defaultValues: { username: '', displayName: '', password: '', role: 'AGENT', scopeLevel: 'GROUP' },
  });
  const { control, handleSubmit, watch, setValue } = form;
  const scopeLevel = watch('scopeLevel');
  const companyId = watch('companyId');
  const needsCompany = scopeLevel === 'COMPANY' || scopeLevel === 'PROJECT';
  const needsProject = scopeLevel === 'PROJECT';
  const projectChoices = projects.filter((p) => !companyId || p.companyId === companyId);

  const submit = handleSubmit(async (body) => {
    setRest([]);
    try {
      onCreated(
        await create.mutateAsync({
          ...body,
          ...(needsCompany ? {} : { companyId: undefined }),
          ...(needsProject ? {} : { projectId: undefined }),
        }),
      );
    } catch (err) {
      setRest(applyProblem(form, lang, err, FIELDS));
    }
  });

  return (
    <Card title={<h2 className="card-title-h">{t('users.new')}</h2>} className="form-card">
      <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="user-form" requiredMark>
        {create.error ? <ProblemAlert error={create.error} extraErrors={rest} /> : null}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <FieldRow form={form} name="username" label={t('users.username')} required hint={t('users.usernameHint')}>
              <Controller
                control={control}
                name="username"
                render={({ field }) => <Input {...field} id="username" autoComplete="off" autoCapitalize="none" spellCheck={false} maxLength={40} autoFocus />}
              />
            </FieldRow>
          </Col>
          <Col xs={24} md={12}>
            <FieldRow form={form} name="displayName" label={t('users.displayName')} required>
              <Controller control={control} name="displayName" render={({ field }) => <Input {...field} id="displayName" maxLength={60} />} />
            </FieldRow>
          </Col>
          <Col xs={24} md={12}>
            <FieldRow form={form} name="email" label={t('users.email')}>
              <Controller
                control={control}
                name="email"
                render={({ field }) => (
                  <Input {...field} id="email" type="email" maxLength={200} value={field.value ?? ''} onChange={(e) => field.onChange(orUndefined(e.target.value))} />
                )}
              />
            </FieldRow>
          </Col>
          <Col xs={24} md={12}>
            <FieldRow form={form} name="password" label={t('users.password')} required hint={t('users.passwordHint')}>
              <Controller control={control} name="password" render={({ field }) => <Input.Password {...field} id="password" autoComplete="new-password" maxLength={256} />} />
            </FieldRow>
          </Col>
          <Col xs={24} md={12}>
            <FieldRow form={form} name="role" label={t('users.role')} required>
              <Controller
                control={control}
                name="role"
                render={({ field }) => (
                  <Select {...field} id="role" showSearch={{ optionFilterProp: 'label' }} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as const) }))} />
                )}
              />
            </FieldRow>
          </Col>
          <Col xs={24} md={12}>
            <FieldRow form={form} name="scopeLevel" label={t('users.scopeLevel')} required>
              <Controller
                control={control}
                name="scopeLevel"
                render={({ field }) => (
                  <Select
                    {...field}
                    id="scopeLevel"
                    onChange={(v) => {
                      field.onChange(v);
                      setValue('projectId', undefined);
                    }}
                    options={SCOPE_LEVELS.map((s) => ({ value: s, label: t(`scope.${s}` as const) }))}
                  />
                )}
              />
            </FieldRow>
          </Col>
          {needsCompany ? (
            <Col xs={24} md={12}>
              <FieldRow form={form} name="companyId" label={t('users.company')} required>
                <Controller
                  control={control}
                  name="companyId"
                  render={({ field }) => (
                    <Select
                      {...field}
                      id="companyId"
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('common.choose')}
                      onChange={(v: string | undefined) => {
                        field.onChange(orUndefined(v));
                        setValue('projectId', undefined);
                      }}
                      options={companies.map((c) => ({ value: c.id, label: `${c.name} (${c.code})` }))}
                    />
                  )}
                />
              </FieldRow>
            </Col>
          ) : null}
          {needsProject ? (
            <Col xs={24} md={12}>
              <FieldRow form={form} name="projectId" label={t('users.project')} required>
                <Controller
                  control={control}
                  name="projectId"
                  render={({ field }) => (
                    <Select
                      {...field}
                      id="projectId"
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('common.choose')}
                      onChange={(v: string | undefined) => field.onChange(orUndefined(v))}
                      options={projectChoices.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
                    />
                  )}
                />
              </FieldRow>
            </Col>
          ) : null}
        </Row>
        <Space>
          <Button onClick={onCancel} disabled={create.isPending}>
            {t('action.cancel')}
          </Button>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="user-save">
            {create.isPending ? t('action.saving') : t('action.save')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
