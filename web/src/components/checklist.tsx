import { type ReactNode, useId } from 'react';
import { useI18n } from '../i18n.js';

export interface CheckOption {
  value: string;
  label: string;
  /** Why this item matters (read with the checkbox through aria-describedby). */
  explanation?: ReactNode;
}

/**
 * A fieldset of checkboxes, each optionally explained under its label (the job-demand and
 * accommodation checklists explain themselves from the mitigation table). Not required by itself;
 * the error, when the API gives one, is announced with the legend.
 */
export function CheckList({
  name,
  legend,
  hint,
  options,
  value,
  onChange,
  error,
  columns,
}: {
  name: string;
  legend: string;
  hint?: string;
  options: CheckOption[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
  columns?: boolean;
}) {
  const { t } = useI18n();
  const base = useId();
  const hintId = `${base}-hint`;
  const errorId = `${base}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={`field checklist${columns ? ' columns' : ''}${error ? ' field-invalid' : ''}`}
      id={`field-${name}`}
      aria-describedby={describedBy}
    >
      <legend>
        {legend}
        <span className="muted"> {t('common.optional')}</span>
      </legend>
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
      <ul>
        {options.map((o) => {
          const explId = `${base}-${o.value}-why`;
          return (
            <li key={o.value}>
              <label className="check">
                <input
                  type="checkbox"
                  name={name}
                  value={o.value}
                  checked={value.includes(o.value)}
                  aria-describedby={o.explanation ? explId : undefined}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))
                  }
                />
                {o.label}
              </label>
              {o.explanation && (
                <p className="explanation" id={explId}>
                  {o.explanation}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

export interface SkillValue {
  code: string;
  level: string;
}

/** Skills with a level each: one row per skill, added and removed with buttons. */
export function SkillPicker({
  legend,
  skills,
  levels,
  value,
  onChange,
  error,
}: {
  legend: string;
  skills: { value: string; label: string }[];
  levels: { value: string; label: string }[];
  value: SkillValue[];
  onChange: (next: SkillValue[]) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const free = skills.filter((s) => !value.some((v) => v.code === s.value));
  return (
    <fieldset className={`field${error ? ' field-invalid' : ''}`} id="field-skills">
      <legend>
        {legend}
        <span className="muted"> {t('common.optional')}</span>
      </legend>
      {error && (
        <p className="field-error">
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      )}
      {value.map((s, i) => {
        const label = skills.find((x) => x.value === s.code)?.label ?? s.code;
        return (
          <div key={s.code} className="skill-row">
            <span className="skill-name">{label}</span>
            <label>
              <span className="visually-hidden">{t('skills.levelOf', { skill: label })}</span>
              <select
                value={s.level}
                onChange={(e) =>
                  onChange(value.map((v, j) => (j === i ? { ...v, level: e.target.value } : v)))
                }
              >
                {levels.map((l) => (
                  <option key={l.value} value={l.value}>
                    {l.label}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="secondary"
              aria-label={t('skills.removeOf', { skill: label })}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              {t('skills.remove')}
            </button>
          </div>
        );
      })}
      {free.length > 0 && (
        <label className="add-skill">
          {t('skills.add')}
          <select
            value=""
            onChange={(e) => {
              if (e.target.value)
                onChange([...value, { code: e.target.value, level: levels[0]?.value ?? '1' }]);
            }}
          >
            <option value="">{t('skills.choose')}</option>
            {free.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
    </fieldset>
  );
}
