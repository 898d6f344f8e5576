import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  useEffect,
  useId,
  useRef,
} from 'react';
import { ApiProblem, type ProblemIssue } from '../api/client.js';
import { consumeNavigationFocus } from '../focus.js';
import { hasMessage, type Lang, type T, useI18n } from '../i18n.js';
import { ISSUE_MESSAGES_ZH } from '../issue-messages.js';
import { identityIssueText } from '../pages/profiles/identity-check.js';

/** The page's h1: sets the document title, and takes focus after a navigation (screen readers hear it). */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
    if (consumeNavigationFocus()) ref.current?.focus();
  }, [title, t]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/**
 * A field's issue in the reader's language: English readers get the API's own message; Chinese
 * readers its translation when known, else a sentence for the zod issue code.
 */
export function issueText(t: T, issue: ProblemIssue, lang: Lang): string {
  // Identity rules (ID, certificate, phone) name a precise code with a message in both languages.
  const identity = identityIssueText(issue.code, lang);
  if (identity) return identity;
  if (lang === 'en') return issue.message;
  const known = ISSUE_MESSAGES_ZH[issue.message];
  if (known) return known;
  const key = `issue.${issue.code.split('.')[0]}`;
  return hasMessage(key) ? t(key) : issue.message;
}

/** `body.organizationId` → `organizationId` (the form's field name). */
export function issueField(issue: ProblemIssue): string {
  return issue.path.replace(/^(body|query|params)\./, '').split('.')[0] ?? '';
}

/** Field name → its issues' text, for the message under each field. */
export function useFieldErrors(problem: unknown): Record<string, string> {
  const { t, lang } = useI18n();
  if (!(problem instanceof ApiProblem)) return {};
  const out: Record<string, string> = {};
  for (const issue of problem.issues) {
    const f = issueField(issue);
    const text = issueText(t, issue, lang);
    out[f] = out[f] ? `${out[f]}${lang === 'en' ? '; ' : '；'}${text}` : text;
  }
  return out;
}

/**
 * A failed call, announced (role=alert) and focused: the title and detail the API gave in the
 * reader's language, each field issue linked to its field, and what to do about 412 / 409 / 403.
 */
export function ProblemSummary({
  problem,
  labels = {},
  onReload,
}: {
  problem: unknown;
  /** Field name → its label, to name fields the way the form does. */
  labels?: Record<string, string>;
  onReload?: () => void;
}) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) ref.current?.focus();
  }, [problem]);
  if (!problem) return null;
  const p =
    problem instanceof ApiProblem
      ? problem
      : new ApiProblem(0, 'client', String((problem as Error)?.message ?? problem));
  const title = p.code === 'network' ? t('problem.network') : p.title || t('problem.heading');
  const advice =
    p.status === 412
      ? t('problem.stale')
      : p.status === 409
        ? t('problem.conflict')
        : p.status === 403
          ? t('problem.forbidden')
          : null;
  return (
    <div className="problem" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="problem-title">
        <span aria-hidden="true">⚠ </span>
        {title}
      </h2>
      {p.detail && p.code !== 'network' && <p>{p.detail}</p>}
      {advice && <p>{advice}</p>}
      {p.issues.length > 0 && (
        <>
          <p>{t('problem.issues')}</p>
          <ul>
            {p.issues.map((issue) => {
              const f = issueField(issue);
              return (
                <li key={`${issue.path}-${issue.code}`}>
                  {labels[f] ? <a href={`#field-${f}`}>{labels[f]}</a> : <code>{issue.path}</code>}：
                  {issueText(t, issue, lang)}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {p.status === 412 && onReload && (
        <button type="button" onClick={onReload}>
          {t('common.reload')}
        </button>
      )}
      {p.requestId && <p className="muted small">{t('problem.requestId', { id: p.requestId })}</p>}
    </div>
  );
}

/** Success and progress messages, read out politely without moving focus. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <div className="status" role="status" aria-live="polite">
      {children ? (
        <p>
          <span aria-hidden="true">✓ </span>
          {children}
        </p>
      ) : null}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: (props: {
    id: string;
    name: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    required?: boolean;
  }) => ReactNode;
}

/** Label, hint and error tied to one control (for, aria-describedby, aria-invalid). */
export function Field({ name, label, hint, error, required, children }: FieldProps) {
  const { t } = useI18n();
  const id = `field-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        <span className="muted"> {required ? t('common.required') : ''}</span>
      </label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      )}
      {children({
        id,
        name,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
        required: required || undefined,
      })}
    </div>
  );
}

export function TextField(
  props: Omit<FieldProps, 'children'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'required'>,
) {
  const { name, label, hint, error, required, ...input } = props;
  return (
    <Field name={name} label={label} hint={hint} error={error} required={required}>
      {(p) => <input {...input} {...p} />}
    </Field>
  );
}

export function SelectField(
  props: Omit<FieldProps, 'children'> &
    Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'required'> & {
      options: { value: string; label: string }[];
      emptyLabel?: string;
    },
) {
  const { name, label, hint, error, required, options, emptyLabel, ...select } = props;
  return (
    <Field name={name} label={label} hint={hint} error={error} required={required}>
      {(p) => (
        <select {...select} {...p}>
          {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A group of checkboxes with one legend (roles). */
export function CheckboxGroup({
  name,
  legend,
  options,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const errorId = useId();
  return (
    <fieldset
      className={`field${error ? ' field-invalid' : ''}`}
      id={`field-${name}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>
        {legend}
        <span className="muted"> {t('common.required')}</span>
      </legend>
      {error && (
        <p className="field-error" id={errorId}>
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      )}
      {options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            name={name}
            value={o.value}
            checked={value.includes(o.value)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))
            }
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

/**
 * A wide table's scroll box: at large text sizes or on small screens it scrolls sideways, so it
 * is a named, focusable region (keyboard users can scroll it; axe `scrollable-region-focusable`).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="table-wrap" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
