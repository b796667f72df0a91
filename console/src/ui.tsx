/**
 * What is left of the hand-written widgets while a few sale and lead pages still use them (a
 * success notice, fields, cards, the sale badge colours); everything else is on antd and the
 * shared kit. Goes when they do.
 */
import { useEffect, type ReactNode } from 'react';
import { useI18n } from './i18n.js';

// ---------------------------------------------------------------------------------------------
// Errors and notices

export function SuccessNotice({ message, onClose }: { message: string | null; onClose: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    if (!message) return;
    const timer = window.setTimeout(onClose, 5000);
    return () => window.clearTimeout(timer);
  }, [message, onClose]);
  if (!message) return null;
  return (
    <div className="alert alert-success" role="status">
      <div className="alert-body">{message}</div>
      <button type="button" className="btn-link" onClick={onClose} aria-label={t('action.close')}>
        ×
      </button>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Bits

/** The colours of the sale stage badges (features/sales/model.tsx) until they are antd tags too. */
export type BadgeTone = 'green' | 'amber' | 'blue' | 'grey' | 'red' | 'purple';

export function Field({
  label,
  error,
  hint,
  required,
  children,
  htmlFor,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  htmlFor: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={htmlFor}>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </label>
      {children}
      {error ? (
        <div className="field-error" role="alert" data-field-error={htmlFor}>
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card${className ? ` ${className}` : ''}`}>
      {title || actions ? (
        <header className="card-header">
          {title ? <h2 className="card-title">{title}</h2> : <span />}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}
