import { useState } from 'react';
import { api, fetchData } from '../../api/client.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  TableWrap,
  TextField,
} from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { hasMessage, useI18n } from '../../i18n.js';
import { navigate, useLocation, withQuery } from '../../router.js';

const PATH = '/admin/vocabularies';

/** Read-only browse of the reference vocabularies, labels in both languages as the API gives them. */
export function VocabulariesPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const [filter, setFilter] = useState('');
  const kinds = useLoad(() => fetchData(api.GET('/api/v1/reference/vocabularies')), []);
  const kind = query.get('kind') ?? kinds.data?.items[0] ?? '';
  const entries = useLoad(
    async () =>
      kind
        ? fetchData(
            api.GET('/api/v1/reference/vocabularies/{kind}', {
              // biome-ignore lint/suspicious/noExplicitAny: the kind comes from the API's own list
              params: { path: { kind: kind as any } },
            }),
          )
        : undefined,
    [kind],
  );
  const kindLabel = (k: string) => {
    const key = `vocabKind.${k}`;
    return hasMessage(key) ? t(key) : k;
  };
  const needle = filter.trim().toLowerCase();
  const rows = (entries.data?.items ?? []).filter(
    (e) =>
      !needle ||
      [e.code, e.zh, e.en, e.initials, ...e.synonyms].some((s) => s.toLowerCase().includes(needle)),
  );
  return (
    <>
      <PageHeading title={t('vocab.title')}>{t('vocab.title')}</PageHeading>
      <p>{t('vocab.readOnly')}</p>
      <ProblemSummary problem={kinds.problem ?? entries.problem} />
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="kind"
          label={t('vocab.kind')}
          value={kind}
          options={(kinds.data?.items ?? []).map((k) => ({ value: k, label: kindLabel(k) }))}
          onChange={(e) => {
            setFilter('');
            navigate(withQuery(PATH, { kind: e.target.value }), { focus: false });
          }}
        />
        <TextField
          name="filter"
          type="search"
          label={t('vocab.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </form>
      {entries.loading && !entries.data ? (
        <Loading />
      ) : (
        <TableWrap label={kindLabel(kind)}>
          <table>
            <caption>
              {kindLabel(kind)} · {t('common.rowsShown', { n: rows.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('vocab.code')}</th>
                <th scope="col">{t('vocab.zh')}</th>
                <th scope="col">{t('vocab.en')}</th>
                <th scope="col">{t('vocab.synonyms')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.code}>
                  <td className="mono">{e.code}</td>
                  <th scope="row" lang="zh-CN">
                    {e.zh}
                  </th>
                  <td lang="en">{e.en}</td>
                  <td>{e.synonyms.join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
