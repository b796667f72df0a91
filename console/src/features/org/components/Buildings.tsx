/**
 * 楼栋与竣工验收: a project's buildings with the day of their completion acceptance and their design
 * service life, from which the warranty of every unit in them counts (cases show 保内/保外 from it).
 * Administrators record them; everyone who sees the project reads them. The form is checked with
 * the server's UpdateBuildingBody.
 */
import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, InputNumber, Modal, Table, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Controller } from 'react-hook-form';
import { hasPermission } from '../../../../../domain/access.js';
import { UpdateBuildingBody } from '../../../../../api/warranty/schemas.js';
import type { FieldError, User } from '../../../api.js';
import { formatCalendarDate } from '../../../format.js';
import { useI18n } from '../../../i18n.js';
import { applyProblem, FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { ProblemAlert } from '../../../shared/ProblemAlert.js';
import { useBuildings, useUpdateBuilding, type Building } from '../api.js';

/** antd's warning text (#faad14) is too light on white (1.9:1): StatusTag's 'todo' tone, 5.6:1. */
const WARNING_TEXT = '#ad4e00';

export function Buildings({ projectId, user }: { projectId: string; user: User }) {
  const { t, lang } = useI18n();
  const buildings = useBuildings(projectId);
  const canWrite = hasPermission(user.role, 'projects:write');
  const [editing, setEditing] = useState<Building | null>(null);
  return (
    <Card title={<h2 className="card-title-h">{t('buildings.title')}</h2>}>
      <Typography.Paragraph type="secondary" className="card-intro">
        {t('buildings.intro')}
      </Typography.Paragraph>
      {buildings.error ? <ProblemAlert error={buildings.error} onRetry={() => void buildings.refetch()} /> : null}
      <Table<Building>
        data-testid="buildings"
        rowKey="id"
        size="small"
        pagination={false}
        loading={buildings.isLoading}
        dataSource={buildings.data ?? []}
        scroll={{ x: 'max-content' }}
        onRow={(b) => ({ 'data-building': b.name }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'name', title: t('units.building'), render: (_, b) => b.name },
          {
            key: 'completion',
            title: t('buildings.completion'),
            render: (_, b) =>
              b.completionAcceptedOn ? (
                <span data-testid="building-completion">{formatCalendarDate(b.completionAcceptedOn, lang)}</span>
              ) : (
                <Typography.Text style={{ color: WARNING_TEXT }} data-testid="building-completion">
                  {t('buildings.notRecorded')}
                </Typography.Text>
              ),
          },
          { key: 'life', title: t('buildings.designLife'), align: 'right', render: (_, b) => t('buildings.years', { n: b.designLifeYears }) },
          ...(canWrite
            ? [
                {
                  key: 'edit',
                  title: '',
                  render: (_: unknown, b: Building) => (
                    <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(b)} data-testid="building-edit" aria-label={t('buildings.edit', { name: b.name })}>
                      {t('buildings.record')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? <BuildingForm building={editing} projectId={projectId} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function BuildingForm({ building, projectId, onClose }: { building: Building; projectId: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const update = useUpdateBuilding(projectId);
  const [rest, setRest] = useState<FieldError[]>([]);
  const form = useSchemaForm(UpdateBuildingBody, { defaultValues: { completionAcceptedOn: building.completionAcceptedOn, designLifeYears: building.designLifeYears } });
  const { control, handleSubmit } = form;
  const submit = handleSubmit(async (body) => {
    setRest([]);
    try {
      await update.mutateAsync({ id: building.id, body });
      void message.success({ content: t('buildings.saved', { name: building.name }), key: 'building' });
      onClose();
    } catch (err) {
      setRest(applyProblem(form, lang, err, ['completionAcceptedOn', 'designLifeYears']));
    }
  });
  return (
    <Modal open title={t('buildings.edit', { name: building.name })} onCancel={onClose} footer={null} destroyOnHidden>
      <Form component="form" layout="vertical" noValidate onFinish={() => void submit()} data-testid="building-form">
        {update.error ? <ProblemAlert error={update.error} extraErrors={rest} withCode /> : null}
        <FieldRow form={form} name="completionAcceptedOn" label={t('buildings.completion')} hint={t('buildings.completionHint')}>
          <Controller
            control={control}
            name="completionAcceptedOn"
            render={({ field }) => (
              <DatePicker
                id="completionAcceptedOn"
                value={field.value ? dayjs(field.value) : null}
                onChange={(d) => field.onChange(d ? d.format('YYYY-MM-DD') : null)}
                onBlur={field.onBlur}
                style={{ width: '100%' }}
                data-testid="building-completion-input"
              />
            )}
          />
        </FieldRow>
        <FieldRow form={form} name="designLifeYears" label={t('buildings.designLife')} hint={t('buildings.designLifeHint')}>
          <Controller
            control={control}
            name="designLifeYears"
            render={({ field }) => (
              <InputNumber id="designLifeYears" min={1} max={200} value={field.value} onChange={(v) => field.onChange(v ?? undefined)} onBlur={field.onBlur} style={{ width: '100%' }} />
            )}
          />
        </FieldRow>
        <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="building-save">
          {t('buildings.save')}
        </Button>
      </Form>
    </Modal>
  );
}
