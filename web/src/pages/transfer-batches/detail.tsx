import { type FormEvent, useRef, useState } from 'react';
import { ApiProblem, api, call, fetchData } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  StatusMessage,
  TableWrap,
  useFieldErrors,
} from '../../components/ui.js';
import { downloadFile } from '../../download.js';
import { setFlash, takeFlash } from '../../flash.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate } from '../../router.js';
import { AddMembers } from './add-members.js';
import { usePersonText } from './candidates.js';
import {
  type Batch,
  type JourneyDraft,
  JourneyFields,
  journeyBody,
  journeyOf,
  transportLabel,
} from './fields.js';
import { useOrganisesBatches } from './list.js';

type Member = Batch['members'][number];
type Patch = NonNullable<
  paths['/api/v1/transfer-batches/{id}']['patch']['requestBody']
>['content']['application/json'];

/**
 * One transfer batch: the journey, who travels, and what the origin federation may do — change the
 * journey, take a member off, download the roster, remove the batch. Every change sends the version
 * read (If-Match); when someone else changed the batch first, the 412 says so and offers a reload.
 */
export function TransferBatchPage({ id }: { id: string }) {
  const { t, lang, dateTime } = useI18n();
  const regions = useRegions();
  const organises = useOrganisesBatches();
  const loaded = useLoad(
    () => call(api.GET('/api/v1/transfer-batches/{id}', { params: { path: { id } } })),
    [id],
  );
  const [message, setMessage] = useState<string | null>(takeFlash);
  const [problem, setProblem] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const personText = usePersonText();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const batch = loaded.data?.data;
  const etag = loaded.data?.etag ?? (batch ? `W/"${batch.version}"` : '');
  const heading = batch
    ? t('batch.heading', { date: batch.travelDate, employer: batch.employerName ?? batch.employerId })
    : t('batch.title');

  const reload = () => {
    setProblem(null);
    loaded.reload();
  };

  const patch = async (body: Patch, done: string) => {
    setProblem(null);
    setMessage(null);
    setBusy(true);
    try {
      await call(
        api.PATCH('/api/v1/transfer-batches/{id}', {
          params: { path: { id } },
          headers: { 'If-Match': etag },
          body,
        }),
      );
      setMessage(done);
      setEditing(false);
      loaded.reload();
      return true;
    } catch (err) {
      setProblem(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const removeMember = (b: Batch, m: Member) =>
    patch(
      {
        placementIds: b.members.flatMap((x) => (x.placementId && x !== m ? [x.placementId] : [])),
        matchIds: b.members.filter((x) => !x.placementId && x !== m).map((x) => x.matchId),
      },
      t('batch.memberRemoved', { person: personText(m) }),
    );

  /** The whole member list goes back with the new matches added (the API replaces the list). */
  const addMembers = async (b: Batch, matchIds: string[]) => {
    const done = await patch(
      {
        placementIds: b.members.flatMap((x) => (x.placementId ? [x.placementId] : [])),
        matchIds: [...b.members.filter((x) => !x.placementId).map((x) => x.matchId), ...matchIds],
      },
      t('batch.membersAdded', { n: matchIds.length }),
    );
    if (done) setAdding(false);
    return done;
  };

  const roster = async () => {
    setProblem(null);
    setMessage(null);
    try {
      const name = await downloadFile(`/api/v1/transfer-batches/${id}/roster`, 'roster.xlsx');
      setMessage(t('batch.rosterDownloaded', { name }));
    } catch (err) {
      setProblem(err);
    }
  };

  const remove = async () => {
    setProblem(null);
    setBusy(true);
    try {
      await fetchData(api.DELETE('/api/v1/transfer-batches/{id}', { params: { path: { id } } }));
      setFlash(t('batch.deleted', { date: batch?.travelDate ?? '' }));
      navigate('/transfer-batches');
    } catch (err) {
      setProblem(err);
      setBusy(false);
    }
  };

  const stale = problem instanceof ApiProblem && problem.status === 412;
  return (
    <>
      <PageHeading title={heading}>{heading}</PageHeading>
      <p>
        <Link to="/transfer-batches">{t('common.back')}</Link>
      </p>
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={problem ?? loaded.problem} onReload={reload} />
      {stale && <p className="muted">{t('batch.staleHint')}</p>}
      {!batch ? (
        loaded.loading && <Loading />
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>{t('batch.travelDate')}</dt>
              <dd>{batch.travelDate}</dd>
            </div>
            <div>
              <dt>{t('batch.origin')}</dt>
              <dd>{regionName(regions, batch.originCode, lang)}</dd>
            </div>
            <div>
              <dt>{t('batch.destination')}</dt>
              <dd>{regionName(regions, batch.destinationCode, lang)}</dd>
            </div>
            <div>
              <dt>{t('batch.employer')}</dt>
              <dd>{batch.employerName ?? batch.employerId}</dd>
            </div>
            <div>
              <dt>{t('batch.transport')}</dt>
              <dd>{transportLabel(t, batch.transport)}</dd>
            </div>
            <div>
              <dt>{t('batch.leader')}</dt>
              <dd>
                {batch.groupLeader
                  ? `${batch.groupLeader.name}${batch.groupLeader.phone ? ` · ${batch.groupLeader.phone}` : ''}`
                  : t('common.none')}
              </dd>
            </div>
            <div>
              <dt>{t('batch.escorts')}</dt>
              <dd>
                {batch.escorts.length
                  ? batch.escorts
                      .map((e) => (e.phone ? `${e.name} · ${e.phone}` : e.name))
                      .join(lang === 'en' ? '; ' : '；')
                  : t('common.none')}
              </dd>
            </div>
            <div>
              <dt>{t('batch.note')}</dt>
              <dd>{batch.note ?? t('common.none')}</dd>
            </div>
            <div>
              <dt>{t('common.version')}</dt>
              <dd>
                {batch.version} · {t('batch.updatedAt', { at: dateTime(batch.updatedAt) })}
              </dd>
            </div>
          </dl>

          {organises && (
            <div className="button-row">
              <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
                {t('batch.edit')}
              </button>
              <button type="button" className="secondary" onClick={() => void roster()}>
                {t('batch.roster')}
              </button>
              <button
                ref={deleteRef}
                type="button"
                className="secondary"
                aria-expanded={confirmDelete}
                onClick={() => setConfirmDelete(!confirmDelete)}
              >
                {t('batch.delete')}
              </button>
            </div>
          )}
          {organises && <p className="muted small">{t('batch.rosterHint')}</p>}
          {confirmDelete && (
            <fieldset className="panel">
              <legend>{t('batch.deleteQuestion', { n: batch.members.length })}</legend>
              <div className="button-row">
                <button type="button" disabled={busy} onClick={() => void remove()}>
                  {t('batch.deleteConfirm')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    setConfirmDelete(false);
                    deleteRef.current?.focus();
                  }}
                >
                  {t('common.cancel')}
                </button>
              </div>
            </fieldset>
          )}
          {editing && (
            <EditJourney
              key={batch.version}
              batch={batch}
              busy={busy}
              problem={problem}
              onSave={(d) => patch(journeyBody(d), t('batch.saved'))}
              onCancel={() => setEditing(false)}
            />
          )}

          <h2 id="members-heading">{t('batch.membersOf', { n: batch.members.length })}</h2>
          {organises && (
            <p>
              <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
                {t('batch.addMembers')}
              </button>
            </p>
          )}
          {adding && (
            <AddMembers
              key={batch.version}
              batch={batch}
              busy={busy}
              problem={problem}
              onSave={(ids) => addMembers(batch, ids)}
              onCancel={() => setAdding(false)}
            />
          )}
          {batch.members.length === 0 ? (
            <p>{t('batch.noMembers')}</p>
          ) : (
            <TableWrap label={t('batch.members')}>
              <table aria-labelledby="members-heading">
                <thead>
                  <tr>
                    <th scope="col">{t('match.person')}</th>
                    <th scope="col">{t('batch.stage')}</th>
                    {organises && <th scope="col">{t('common.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {batch.members.map((m) => {
                    const person = personText(m);
                    return (
                      <tr key={m.matchId}>
                        <th scope="row">
                          <Link to={`/profiles/${m.profileId}`}>{person}</Link>
                        </th>
                        <td>{m.placementId ? t('batch.placed') : t('batch.notYetPlaced')}</td>
                        {organises && (
                          <td>
                            <button
                              type="button"
                              className="secondary"
                              disabled={busy}
                              aria-label={t('batch.removeMemberOf', { person })}
                              onClick={() => void removeMember(batch, m)}
                            >
                              {t('batch.removeMember')}
                            </button>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
    </>
  );
}

function EditJourney({
  batch,
  busy,
  problem,
  onSave,
  onCancel,
}: {
  batch: Batch;
  busy: boolean;
  problem: unknown;
  onSave: (d: JourneyDraft) => Promise<boolean>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(() => journeyOf(batch));
  const errors = useFieldErrors(problem);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSave(draft);
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="edit-heading">
      <h2 id="edit-heading">{t('batch.editHeading')}</h2>
      <JourneyFields draft={draft} onChange={setDraft} errors={errors} />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
