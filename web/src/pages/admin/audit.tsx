import { type FormEvent, useEffect, useState } from 'react';
import { api, fetchData, type Schemas } from '../../api/client.js';
import { Pager } from '../../components/pager.js';
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

type Entry = Schemas['AuditEntry'];
const PATH = '/admin/audit';
const FILTERS = ['action', 'outcome', 'resourceType', 'actor', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Usernames of actors, looked up once per page load (the entries carry ids only). */
const usernames = new Map<string, Promise<string>>();
function usernameOf(id: string): Promise<string> {
  let p = usernames.get(id);
  if (!p) {
    p = fetchData(api.GET('/api/v1/users/{id}', { params: { path: { id } } }))
      .then((u) => u.username)
      .catch(() => id);
    usernames.set(id, p);
  }
  return p;
}

function useUsernames(entries: Entry[] | undefined): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  useEffect(() => {
    const ids = [...new Set((entries ?? []).map((e) => e.actor.userId).filter((x): x is string => !!x))];
    let live = true;
    Promise.all(ids.map(async (id) => [id, await usernameOf(id)] as const)).then((pairs) => {
      if (live) setNames(new Map(pairs));
    });
    return () => {
      live = false;
    };
  }, [entries]);
  return names;
}

/** `datetime-local` value (local time) ↔ ISO instant for the API. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
function toLocal(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function AuditPage() {
  const { t, dateTime } = useI18n();
  const { query } = useLocation();
  const applied = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filters;
  const cursor = query.get('cursor') ?? undefined;
  const page = Number(query.get('page') ?? '1') || 1;
  const [draft, setDraft] = useState<Filters>({
    ...applied,
    from: toLocal(applied.from),
    to: toLocal(applied.to),
  });
  const key = FILTERS.map((f) => applied[f]).join('|');
  const list = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/audit', {
          params: {
            query: {
              action: applied.action || undefined,
              outcome: (applied.outcome || undefined) as Entry['outcome'] | undefined,
              resourceType: applied.resourceType || undefined,
              actor: applied.actor || undefined,
              from: applied.from || undefined,
              to: applied.to || undefined,
              cursor,
              limit: 50,
            },
          },
        }),
      ),
    [key, cursor],
  );
  const names = useUsernames(list.data?.items);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(
      withQuery(PATH, {
        ...draft,
        action: draft.action.trim(),
        resourceType: draft.resourceType.trim(),
        actor: draft.actor.trim(),
        from: toIso(draft.from),
        to: toIso(draft.to),
      }),
      { focus: false },
    );
  };
  const actionLabel = (a: string) => {
    const k = `auditAction.${a}`;
    return hasMessage(k) ? t(k) : a;
  };
  const labels = {
    action: t('audit.action'),
    outcome: t('audit.outcome'),
    resourceType: t('audit.resourceType'),
    actor: t('audit.actorId'),
    from: t('audit.from'),
    to: t('audit.to'),
  };
  return (
    <>
      <PageHeading title={t('audit.title')}>{t('audit.title')}</PageHeading>
      <form className="filters" onSubmit={apply}>
        <TextField
          name="action"
          label={labels.action}
          hint={t('audit.actionHint')}
          spellCheck={false}
          value={draft.action}
          onChange={(e) => setDraft({ ...draft, action: e.target.value })}
        />
        <SelectField
          name="outcome"
          label={labels.outcome}
          value={draft.outcome}
          emptyLabel={t('common.all')}
          options={(['success', 'failure', 'denied'] as const).map((o) => ({
            value: o,
            label: t(`audit.outcome.${o}`),
          }))}
          onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}
        />
        <TextField
          name="resourceType"
          label={labels.resourceType}
          spellCheck={false}
          value={draft.resourceType}
          onChange={(e) => setDraft({ ...draft, resourceType: e.target.value })}
        />
        <TextField
          name="actor"
          label={labels.actor}
          spellCheck={false}
          value={draft.actor}
          onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
        />
        <TextField
          name="from"
          type="datetime-local"
          label={labels.from}
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
        />
        <TextField
          name="to"
          type="datetime-local"
          label={labels.to}
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
        />
        <div className="button-row">
          <button type="submit">{t('common.search')}</button>
          {key.replaceAll('|', '') && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDraft({ action: '', outcome: '', resourceType: '', actor: '', from: '', to: '' });
                navigate(PATH, { focus: false });
              }}
            >
              {t('common.reset')}
            </button>
          )}
        </div>
      </form>
      <ProblemSummary problem={list.problem} labels={labels} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data ? (
        <>
          <TableWrap label={t('audit.title')}>
            <table>
              <caption>{t('audit.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.resource')}</th>
                  <th scope="col">{t('audit.fields')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                  <th scope="col">{t('audit.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">
                      <time dateTime={e.at}>{dateTime(e.at)}</time>
                    </td>
                    <td>
                      {e.actor.userId ? (
                        <span className="mono">{names.get(e.actor.userId) ?? e.actor.userId}</span>
                      ) : (
                        t('audit.system')
                      )}
                      {e.actor.roles.length > 0 && (
                        <span className="muted small block">
                          {e.actor.roles
                            .map((r) => (hasMessage(`role.${r}`) ? t(`role.${r}` as 'role.admin') : r))
                            .join('、')}
                        </span>
                      )}
                    </td>
                    <th scope="row">
                      {actionLabel(e.action)}
                      <span className="muted small block mono">{e.action}</span>
                    </th>
                    <td>
                      {e.resource.type ?? ''}
                      {e.resource.id && <span className="muted small block mono">{e.resource.id}</span>}
                    </td>
                    <td className="mono small">{e.fields.join(', ')}</td>
                    <td>
                      <span className={`badge badge-${e.outcome === 'success' ? 'ok' : 'warn'}`}>
                        <span aria-hidden="true">{e.outcome === 'success' ? '✓ ' : '✗ '}</span>
                        {t(`audit.outcome.${e.outcome}`)}
                      </span>
                    </td>
                    <td className="mono small">{e.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.data.items.length === 0 && <p>{t('common.noRows')}</p>}
          <Pager
            path={PATH}
            query={applied}
            nextCursor={list.data.nextCursor}
            page={page}
            shown={list.data.items.length}
          />
        </>
      ) : null}
    </>
  );
}
