import { api, fetchData } from '../../api/client.js';
import { Loading, ProblemSummary } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { statusLabel } from '../review/queue.js';
import type { Batch } from './journey.js';

/** How a member reads: the person as people lists show them when the API says, else an id's tail. */
export function usePersonText() {
  const { t } = useI18n();
  return (m: { profileId: string; person?: Batch['members'][number]['person'] }) =>
    m.person
      ? t('batch.personShown', { name: m.person.name, sex: t(`sex.${m.person.sex}`), age: m.person.age })
      : t('batch.personRef', { person: m.profileId.slice(-6) });
}

/**
 * Who may travel for an opening, as checkboxes: its matches approved or further along, of the
 * federation's own people from `originCode`, by masked name (`GET /openings/:id/transfer-candidates`),
 * less those already on the batch (`exclude`, match ids). The API checks each rule again on save.
 */
export function MemberCandidates({
  openingId,
  originCode,
  exclude = [],
  chosen,
  onChange,
  error,
}: {
  openingId: string;
  originCode?: string;
  exclude?: readonly string[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const personText = usePersonText();
  const candidates = useLoad(
    () =>
      openingId
        ? fetchData(
            api.GET('/api/v1/openings/{id}/transfer-candidates', {
              params: { path: { id: openingId }, query: originCode ? { originCode } : {} },
            }),
          ).then((list) => list.items.filter((c) => !exclude.includes(c.matchId)))
        : Promise.resolve([]),
    [openingId, originCode, exclude.join(',')],
  );
  return (
    <fieldset
      className={`field${error ? ' field-invalid' : ''}`}
      id="field-matchIds"
      aria-describedby={error ? 'field-matchIds-error' : undefined}
    >
      <legend>{t('batch.members')}</legend>
      {error && (
        <p className="field-error" id="field-matchIds-error">
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      )}
      {!openingId ? (
        <p className="muted">{t('batch.pickOpeningFirst')}</p>
      ) : candidates.loading ? (
        <Loading />
      ) : (candidates.data ?? []).length === 0 ? (
        <p>{t('batch.noCandidates')}</p>
      ) : (
        (candidates.data ?? []).map((m) => (
          <label key={m.matchId} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(m.matchId)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, m.matchId] : chosen.filter((x) => x !== m.matchId))
              }
            />
            {t('batch.candidate', {
              person: personText(m),
              status: t(statusLabel(m.status)),
              score: m.score,
            })}
          </label>
        ))
      )}
      <ProblemSummary problem={candidates.problem} />
    </fieldset>
  );
}
