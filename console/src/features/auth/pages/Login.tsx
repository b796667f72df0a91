/**
 * 登录: username and password checked with the server's LoginBody before sending; a refusal (wrong
 * credentials) is one message above the form, not a field's error, and the password is cleared.
 */
import { Alert, Button, Form, Input } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { Controller } from 'react-hook-form';
import { LoginBody } from '../../../../../api/auth/schemas.js';
import { ApiError, NetworkError, type LoginResponse } from '../../../api.js';
import { DEFAULT_TIME_ZONE } from '../../../format.js';
import { useI18n, type MessageKey } from '../../../i18n.js';
import { LangSwitch } from '../../../app/LangSwitch.js';
import { problemText } from '../../../problems.js';
import { FieldRow, useSchemaForm } from '../../../shared/forms.js';
import { useLogin } from '../api.js';

export function LoginPage({ onLoggedIn, notice }: { onLoggedIn: (res: LoginResponse) => void; notice: MessageKey | null }) {
  const { t, lang } = useI18n();
  const login = useLogin();
  const error = login.error;
  const form = useSchemaForm(LoginBody, { defaultValues: { username: '', password: '' } });
  const { control, handleSubmit, setValue, setFocus, formState } = form;

  const submit = handleSubmit(async (body) => {
    try {
      onLoggedIn(await login.mutateAsync(body));
    } catch {
      // One message for a refusal (login.error): wrong credentials are not a field's fault.
      setValue('password', '');
      setFocus('password');
    }
  });
  const refusal = error instanceof ApiError ? problemText(lang, error.problem) : null;

  return (
    <div className="login-page">
      <div className="login-hero" aria-hidden="true">
        <div className="login-hero-inner">
          <div className="brand brand-large">
            <span className="brand-mark">EC</span>
            <span className="brand-name">Estate Care</span>
          </div>
          <p className="login-tagline">{t('login.tagline')}</p>
          <ul className="login-points">
            <li>{t('login.point.cases')}</li>
            <li>{t('login.point.leads')}</li>
            <li>{t('login.point.sales')}</li>
          </ul>
        </div>
      </div>
      <div className="login-panel">
        <div className="login-toolbar">
          <LangSwitch />
        </div>
        <Form component="form" layout="vertical" className="login-form" onFinish={() => void submit()} noValidate aria-labelledby="login-title" requiredMark={false}>
          <h1 id="login-title">{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
          {notice ? <Alert type="info" role="status" showIcon title={t(notice)} className="login-alert" /> : null}
          {error ? (
            <Alert
              type="error"
              showIcon
              className="login-alert"
              data-testid="problem"
              data-code={error instanceof ApiError ? error.problem.code : undefined}
              title={refusal ? (refusal.detail ?? refusal.title) : t(error instanceof NetworkError ? 'error.network' : 'error.unexpected')}
            />
          ) : null}
          <FieldRow form={form} name="username" label={t('login.username')} required>
            <Controller
              control={control}
              name="username"
              render={({ field }) => (
                <Input {...field} id="username" autoComplete="username" autoCapitalize="none" spellCheck={false} maxLength={64} autoFocus size="large" />
              )}
            />
          </FieldRow>
          <FieldRow form={form} name="password" label={t('login.password')} required>
            <Controller
              control={control}
              name="password"
              render={({ field }) => <Input.Password {...field} id="password" autoComplete="current-password" maxLength={256} size="large" />}
            />
          </FieldRow>
          <Button type="primary" htmlType="submit" block size="large" loading={formState.isSubmitting}>
            {formState.isSubmitting ? t('login.submitting') : t('login.submit')}
          </Button>
          <p className="login-foot muted">
            <ClockCircleOutlined aria-hidden /> {t('header.timeZone', { tz: DEFAULT_TIME_ZONE })}
          </p>
        </Form>
      </div>
    </div>
  );
}
