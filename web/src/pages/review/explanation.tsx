import { api, fetchData, type Schemas } from '../../api/client.js';
import { Loading, ProblemSummary, TableWrap } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { type MessageKey, useI18n } from '../../i18n.js';

type Reason = { code: string; kind: string; zh: string; en: string };

const KIND_SYMBOL: Record<string, string> = {
  exclusion: '✗',
  support: '✓',
  plus: '+',
  minus: '−',
  note: 'ℹ',
};

/** A match's reasons as a list; the symbol is decoration, the sentence says it all. */
export function ReasonList({ reasons, label }: { reasons: readonly Reason[]; label?: string }) {
  const { lang } = useI18n();
  if (!reasons.length) return null;
  return (
    <ul className="reasons" aria-label={label}>
      {reasons.map((r) => (
        <li key={`${r.code}-${r.zh}`}>
          <span aria-hidden="true">{KIND_SYMBOL[r.kind] ?? '·'} </span>
          {lang === 'en' ? r.en : r.zh}
        </li>
      ))}
    </ul>
  );
}

/**
 * The comparison chart of one match (GET /matches/:id/explanation) as a table: requirement,
 * profile, met or not (in words, the symbol only repeats it), why.
 */
export function ComparisonTable({ matchId, title }: { matchId: string; title: string }) {
  const { t } = useI18n();
  const explanation = useLoad(
    () => fetchData(api.GET('/api/v1/matches/{id}/explanation', { params: { path: { id: matchId } } })),
    [matchId],
  );
  const x: Schemas['MatchExplanation'] | undefined = explanation.data;
  if (explanation.loading && !x) return <Loading />;
  if (!x) return <ProblemSummary problem={explanation.problem} />;
  return <ChartTable rows={x.rows} caption={t('match.compare', { title })} />;
}

/** The rows of a comparison chart (a stored match's explanation, or the fit of any pair). */
export function ChartTable({
  rows,
  caption,
}: {
  rows: Schemas['MatchExplanation']['rows'];
  caption: string;
}) {
  const { t, lang } = useI18n();
  const pick = (v: { zh: string; en: string }) => (lang === 'en' ? v.en : v.zh);
  return (
    <TableWrap label={caption}>
      <table className="compare">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('match.requirement')}</th>
            <th scope="col">{t('match.profileSide')}</th>
            <th scope="col">{t('match.metColumn')}</th>
            <th scope="col">{t('match.why')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {pick(r.requirement)}
                {r.hard && <span className="muted small"> {t('match.hard')}</span>}
              </th>
              <td>{pick(r.profile)}</td>
              <td className="nowrap">
                <MetCell met={r.met} />
              </td>
              <td>{pick(r.why)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function MetCell({ met }: { met: boolean | null }) {
  const { t } = useI18n();
  const [symbol, key]: [string, MessageKey] =
    met === true ? ['✓', 'match.met'] : met === false ? ['✗', 'match.notMet'] : ['–', 'match.notApplicable'];
  return (
    <span className={met === false ? 'not-met' : undefined}>
      <span aria-hidden="true">{symbol} </span>
      {t(key)}
    </span>
  );
}
