import { type FormEvent, useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import { ProblemSummary, SelectField, useFieldErrors } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { MemberCandidates } from './candidates.js';
import type { Batch } from './journey.js';

/**
 * Adds people to a batch: one of the batch employer's openings, then its matches that may travel
 * and are not on the batch yet. Saving sends the whole member list (the API replaces it), with the
 * version read, so a concurrent change answers 412 rather than dropping someone.
 */
export function AddMembers({
  batch,
  busy,
  problem,
  onSave,
  onCancel,
}: {
  batch: Batch;
  busy: boolean;
  problem: unknown;
  onSave: (matchIds: string[]) => Promise<boolean>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const openings = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/openings', {
          params: { query: { employer: batch.employerId, sort: '-updatedAt', limit: 100 } },
        }),
      ),
    [batch.employerId],
  );
  const [openingId, setOpeningId] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [missing, setMissing] = useState(false);
  const errors = useFieldErrors(problem);
  const items = openings.data?.items ?? [];
  const opening = openingId || (items.length === 1 ? items[0]!.id : '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(chosen.length === 0);
    if (chosen.length > 0) void onSave(chosen);
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="add-heading">
      <h2 id="add-heading">{t('batch.addMembersHeading')}</h2>
      <p className="muted">{t('batch.addMembersHint')}</p>
      <ProblemSummary problem={openings.problem} />
      {!openings.loading && items.length === 0 ? (
        <p>{t('batch.noOpeningsOfEmployer')}</p>
      ) : (
        <>
          <SelectField
            name="openingId"
            label={t('batch.opening')}
            required
            emptyLabel={openings.loading ? t('app.loading') : '—'}
            options={items.map((o) => ({ value: o.id, label: o.title }))}
            value={opening}
            onChange={(e) => {
              setOpeningId(e.target.value);
              setChosen([]);
            }}
          />
          <MemberCandidates
            openingId={opening}
            originCode={batch.originCode}
            exclude={batch.members.map((m) => m.matchId)}
            chosen={chosen}
            onChange={(c) => {
              setChosen(c);
              if (c.length) setMissing(false);
            }}
            error={missing ? t('batch.noneChosen') : errors.matchIds}
          />
        </>
      )}
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('batch.addChosen')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
