import type { Schemas } from '../../api/client.js';
import type { T } from '../../i18n.js';

type Mitigation = Schemas['Mitigation'];

/**
 * Explanations from the limitation × demand → accommodations table (the one matching uses): a job
 * demand says whom it may exclude and what would make the work possible for them; an
 * accommodation says which conflicts it resolves. So an employer ticking boxes sees why they matter.
 */
export function demandExplanation(
  t: T,
  demand: string,
  mitigations: Mitigation[] | undefined,
  label: (kind: 'limitation' | 'accommodation', code: string) => string,
): string | undefined {
  const rows = (mitigations ?? []).filter((m) => m.demand === demand);
  if (!rows.length) return undefined;
  const who = [...new Set(rows.map((m) => label('limitation', m.limitation)))].join('、');
  const helps = [
    ...new Set(
      rows.flatMap((m) => m.anyOf.map((set) => set.map((a) => label('accommodation', a)).join(' + '))),
    ),
  ];
  return t('opening.demandWhy', { who, helps: helps.join(t('common.or')) });
}

export function accommodationExplanation(
  t: T,
  accommodation: string,
  mitigations: Mitigation[] | undefined,
  label: (kind: 'limitation' | 'job_demand', code: string) => string,
): string | undefined {
  const rows = (mitigations ?? []).filter((m) => m.anyOf.some((set) => set.includes(accommodation)));
  if (!rows.length) return undefined;
  const pairs = rows
    .slice(0, 4)
    .map((m) =>
      t('opening.pair', { who: label('limitation', m.limitation), demand: label('job_demand', m.demand) }),
    );
  return t('opening.accommodationWhy', {
    pairs: pairs.join('；'),
    more: rows.length > 4 ? t('opening.andMore', { n: rows.length - 4 }) : '',
  });
}
