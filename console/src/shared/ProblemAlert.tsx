/**
 * An API problem or a network failure, on Ant Design's Alert (role="alert", so screen readers say
 * it at once). The title, detail and field errors are translated from the problem's codes and
 * params into the user's language (problems.ts); `withCode` also shows the stable code (e.g.
 * `409 · LEAD_POOLED`) for support calls; `onRetry` adds a retry button.
 */
import { Alert, Button } from 'antd';
import { ApiError, NetworkError, type FieldError } from '../api.js';
import { useI18n } from '../i18n.js';
import { fieldErrorText, problemText } from '../problems.js';

export interface ProblemAlertProps {
  error: unknown;
  /** Field errors to list instead of the problem's own (e.g. those no form field shows). */
  extraErrors?: FieldError[];
  onRetry?: () => void;
  withCode?: boolean;
}

export function ProblemAlert({ error, extraErrors, onRetry, withCode }: ProblemAlertProps) {
  const { t, lang } = useI18n();
  if (!error) return null;
  let title: string;
  let detail: string | undefined;
  let list: FieldError[] = [];
  const api = error instanceof ApiError ? error : null;
  if (api) {
    ({ title, detail } = problemText(lang, api.problem));
    // The detail repeats the title when the problem has nothing more to say.
    if (detail === title) detail = undefined;
    list = extraErrors ?? api.problem.errors ?? [];
  } else if (error instanceof NetworkError) {
    title = t('error.network');
  } else {
    title = t('error.unexpected');
    detail = error instanceof Error ? error.message : undefined;
  }
  const description =
    detail || list.length > 0 ? (
      <>
        {detail ? <div className="alert-detail">{detail}</div> : null}
        {list.length > 0 ? (
          <ul className="alert-list">
            {list.map((e, i) => (
              <li key={`${e.path}-${i}`}>
                <code>{e.path}</code> {fieldErrorText(lang, e)}
              </li>
            ))}
          </ul>
        ) : null}
      </>
    ) : undefined;
  return (
    <Alert
      type="error"
      showIcon
      className="problem-alert"
      data-testid="problem"
      data-code={api?.problem.code}
      data-reason={api?.problem.reason}
      data-status={api?.status}
      title={
        <>
          <strong className="alert-title">{title}</strong>
          {withCode && api ? (
            <code className="alert-code" data-testid="problem-code">
              {`${api.status} · ${api.problem.code}`}
            </code>
          ) : null}
        </>
      }
      description={description}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry} data-testid="problem-retry">
            {t('action.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
