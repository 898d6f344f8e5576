import { api, fetchData, type Schemas } from '../../api/client.js';
import { Loading, ProblemSummary } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { statusLabel } from '../review/queue.js';
import type { Batch } from './journey.js';

type Match = Schemas['Match'];

/** Matches that may travel in a batch (the API's rule): approved, or further along to a placement. */
export const MEMBER_STATES: readonly Match['status'][] = [
  'approved',
  'proposed',
  'interested',
  'interviewing',
  'hired',
  'placed',
  'retained',
];

/** How a member reads: the person as people lists show them when the API says, else an id's tail. */
export function usePersonText() {
  const { t } = useI18n();
  return (m: { profileId: string; person?: Batch['members'][number]['person'] }) =>
    m.person
      ? t('batch.personShown', { name: m.person.name, sex: t(`sex.${m.person.sex}`), age: m.person.age })
      : t('batch.personRef', { person: m.profileId.slice(-6) });
}

/**
 * Who may travel for an opening: its matches that are approved or further along, as checkboxes,
 * less those already in the batch (`exclude`, match ids). The API checks each rule again.
 */
export function MemberCandidates({
  openingId,
  exclude = [],
  chosen,
  onChange,
  error,
}: {
  openingId: string;
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
            api.GET('/api/v1/openings/{id}/matches', {
              params: { path: { id: openingId }, query: { limit: 200 } },
            }),
          ).then((page) =>
            page.items.filter((m) => MEMBER_STATES.includes(m.status) && !exclude.includes(m.id)),
          )
        : Promise.resolve([] as Match[]),
    [openingId, exclude.join(',')],
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
          <label key={m.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(m.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, m.id] : chosen.filter((x) => x !== m.id))
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
