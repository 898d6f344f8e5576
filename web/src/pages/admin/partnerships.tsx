import { type FormEvent, useState } from 'react';
import { api, call, fetchData, type Schemas } from '../../api/client.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  StatusMessage,
  TableWrap,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { setFlash, takeFlash } from '../../flash.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';

type Partnership = Schemas['Partnership'];
const LIST = '/admin/partnerships';

export function PartnershipsPage() {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  const regions = useRegions();
  const code = query.get('code') ?? '';
  const activeOn = query.get('activeOn') ?? '';
  const [flash] = useState(takeFlash);
  const [draft, setDraft] = useState({ code, activeOn });
  const list = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/reference/partnerships', {
          params: { query: { code: code || undefined, activeOn: activeOn || undefined } },
        }),
      ),
    [code, activeOn],
  );
  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    navigate(withQuery(LIST, { code: draft.code.trim(), activeOn: draft.activeOn }), { focus: false });
  };
  return (
    <>
      <PageHeading title={t('partnership.title')}>{t('partnership.title')}</PageHeading>
      <StatusMessage>{flash}</StatusMessage>
      <form className="filters" onSubmit={applyFilters}>
        <TextField
          name="code"
          label={t('partnership.filterCode')}
          inputMode="numeric"
          value={draft.code}
          onChange={(e) => setDraft({ ...draft, code: e.target.value })}
        />
        <TextField
          name="activeOn"
          type="date"
          label={t('partnership.filterActiveOn')}
          value={draft.activeOn}
          onChange={(e) => setDraft({ ...draft, activeOn: e.target.value })}
        />
        <div className="button-row">
          <button type="submit">{t('common.search')}</button>
          {(code || activeOn) && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDraft({ code: '', activeOn: '' });
                navigate(LIST, { focus: false });
              }}
            >
              {t('common.reset')}
            </button>
          )}
        </div>
      </form>
      <ProblemSummary
        problem={list.problem}
        labels={{ code: t('partnership.filterCode'), activeOn: t('partnership.filterActiveOn') }}
      />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data ? (
        <>
          <TableWrap label={t('partnership.title')}>
            <table>
              <caption>
                {t('partnership.title')} · {t('common.rowsShown', { n: list.data.items.length })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('partnership.supporting')}</th>
                  <th scope="col">{t('partnership.receiving')}</th>
                  <th scope="col">{t('partnership.from')}</th>
                  <th scope="col">{t('partnership.to')}</th>
                  <th scope="col">{t('partnership.note')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => {
                  const pair = `${regionName(regions, p.supportingCode, lang)} → ${regionName(regions, p.receivingCode, lang)}`;
                  return (
                    <tr key={p.id}>
                      <td>{regionName(regions, p.supportingCode, lang)}</td>
                      <td>{regionName(regions, p.receivingCode, lang)}</td>
                      <td>{p.from}</td>
                      <td>{p.to ?? t('partnership.open')}</td>
                      <td>{p.note ?? ''}</td>
                      <td>
                        <Link to={`${LIST}/${p.id}`} aria-label={t('partnership.editOf', { pair })}>
                          {t('common.edit')}
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
          {list.data.items.length === 0 && <p>{t('common.noRows')}</p>}
        </>
      ) : null}
    </>
  );
}

/** Edits the period (and note) with the version read: If-Match, so a concurrent edit is a 412. */
export function PartnershipEditPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const regions = useRegions();
  const [form, setForm] = useState<{ from: string; to: string; note: string } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const loaded = useLoad(async () => {
    const res = await call(api.GET('/api/v1/reference/partnerships/{id}', { params: { path: { id } } }));
    setForm({ from: res.data.from, to: res.data.to ?? '', note: res.data.note ?? '' });
    return res;
  }, [id]);
  const errors = useFieldErrors(problem);
  const labels = { from: t('partnership.from'), to: t('partnership.to'), note: t('partnership.note') };
  const p: Partnership | undefined = loaded.data?.data;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!p || !form) return;
    const body: Schemas['PartnershipPatch'] = {};
    if (form.from !== p.from) body.from = form.from;
    if ((form.to || null) !== p.to) body.to = form.to || null;
    if (form.note !== (p.note ?? '')) body.note = form.note;
    if (Object.keys(body).length === 0) return navigate(LIST);
    setBusy(true);
    setProblem(null);
    try {
      await fetchData(
        api.PATCH('/api/v1/reference/partnerships/{id}', {
          params: { path: { id } },
          headers: { 'If-Match': loaded.data?.etag ?? '' },
          body,
        }),
      );
      setFlash(t('partnership.updated'));
      navigate(LIST);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title={t('partnership.edit')}>{t('partnership.edit')}</PageHeading>
      <p>
        <Link to={LIST}>{t('common.back')}</Link>
      </p>
      {p && (
        <dl className="facts">
          <div>
            <dt>{t('partnership.supporting')}</dt>
            <dd>{regionName(regions, p.supportingCode, lang)}</dd>
          </div>
          <div>
            <dt>{t('partnership.receiving')}</dt>
            <dd>{regionName(regions, p.receivingCode, lang)}</dd>
          </div>
          <div>
            <dt>{t('common.version')}</dt>
            <dd>{p.version}</dd>
          </div>
        </dl>
      )}
      <ProblemSummary
        problem={problem ?? loaded.problem}
        labels={labels}
        onReload={() => {
          setProblem(null);
          loaded.reload();
        }}
      />
      {!form ? (
        loaded.loading && <Loading />
      ) : (
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <TextField
            name="from"
            type="date"
            label={labels.from}
            required
            value={form.from}
            onChange={(e) => setForm({ ...form, from: e.target.value })}
            error={errors.from}
          />
          <TextField
            name="to"
            type="date"
            label={labels.to}
            hint={t('partnership.toHint')}
            value={form.to}
            onChange={(e) => setForm({ ...form, to: e.target.value })}
            error={errors.to}
          />
          <TextField
            name="note"
            label={labels.note}
            maxLength={500}
            value={form.note}
            onChange={(e) => setForm({ ...form, note: e.target.value })}
            error={errors.note}
          />
          <button type="submit" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </form>
      )}
    </>
  );
}
