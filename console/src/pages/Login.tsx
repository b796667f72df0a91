import { useId, useState, type FormEvent } from 'react';
import { api, type LoginResponse } from '../api.js';
import { DEFAULT_TIME_ZONE } from '../format.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { Icon } from '../icons.js';
import { LangSwitch } from '../LangSwitch.js';
import { ProblemAlert } from '../ui.js';

export function LoginPage({ onLoggedIn, notice }: { onLoggedIn: (res: LoginResponse) => void; notice: MessageKey | null }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const userId = useId();
  const passId = useId();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.login(username.trim(), password);
      onLoggedIn(res);
    } catch (err) {
      setError(err);
      setPassword('');
      setBusy(false);
    }
  };

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
        <form className="login-form" onSubmit={submit} noValidate={false} aria-labelledby="login-title">
          <h1 id="login-title">{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
          {notice ? (
            <div className="alert alert-info" role="status">
              <div className="alert-body">{t(notice)}</div>
            </div>
          ) : null}
          <ProblemAlert error={error} />
          <div className="field">
            <label htmlFor={userId}>{t('login.username')}</label>
            <input
              id={userId}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              maxLength={64}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor={passId}>{t('login.password')}</label>
            <input
              id={passId}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={256}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
          <p className="login-foot muted">
            <Icon name="clock" size={14} /> {t('header.timeZone', { tz: DEFAULT_TIME_ZONE })}
          </p>
        </form>
      </div>
    </div>
  );
}
