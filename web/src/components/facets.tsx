import { useI18n } from '../i18n.js';

/**
 * One facet of a search as a group of checkboxes, each with its count over every hit ("肢体残疾
 * (12)"): ticking narrows the search to any of the ticked values. Counts are words, not bars.
 */
export function FacetGroup({
  name,
  legend,
  counts,
  selected,
  label,
  onChange,
  limit = 12,
}: {
  name: string;
  legend: string;
  counts: Record<string, number> | undefined;
  selected: string[];
  label: (code: string) => string;
  onChange: (next: string[]) => void;
  limit?: number;
}) {
  const { t } = useI18n();
  const codes = [
    ...new Set([
      ...selected,
      ...Object.entries(counts ?? {})
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([c]) => c),
    ]),
  ];
  if (codes.length === 0) return null;
  return (
    <fieldset className="facet" id={`facet-${name}`}>
      <legend>{legend}</legend>
      {codes.map((code) => (
        <label key={code} className="check">
          <input
            type="checkbox"
            name={name}
            value={code}
            checked={selected.includes(code)}
            onChange={(e) =>
              onChange(e.target.checked ? [...selected, code] : selected.filter((c) => c !== code))
            }
          />
          <span>
            {label(code)} <span className="muted">{t('search.count', { n: counts?.[code] ?? 0 })}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** `a,b` in the URL ↔ a list. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return (query.get(name) ?? '').split(',').filter(Boolean);
}
