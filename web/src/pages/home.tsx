import { api, fetchData, type Role } from '../api/client.js';
import { Loading, PageHeading, ProblemSummary } from '../components/ui.js';
import { useLoad } from '../hooks.js';
import { type MessageKey, useI18n } from '../i18n.js';
import { pagesFor } from '../pages.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

/**
 * The start page: what needs doing today first (GET /api/v1/work, each count a link to the page
 * that lists those items, grouped by role), then every page the person's roles have.
 */
export function HomePage() {
  const { t } = useI18n();
  const { me } = useSession();
  if (!me) return null;
  const pages = pagesFor(me.user.roles).filter((p) => p.nav);
  return (
    <>
      <PageHeading title={t('nav.home')}>{t('home.title', { name: me.user.displayName })}</PageHeading>
      <p>
        {me.organization.name} · {me.user.roles.map((r) => t(`role.${r}`)).join('、')}
      </p>
      <TodayList />
      {pages.length ? (
        <section aria-labelledby="home-pages">
          <h2 id="home-pages">{t('home.pages')}</h2>
          <p>{t('home.intro')}</p>
          <ul className="cards">
            {pages.map((p) => (
              <li key={p.path}>
                <Link to={p.path}>{t(p.nav!.label)}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p>{t('home.nothing')}</p>
      )}
    </>
  );
}

/** Items with a count, per role; a plain sentence when nothing is due. */
function TodayList() {
  const { t, dateTime } = useI18n();
  const work = useLoad(() => fetchData(api.GET('/api/v1/work')), []);
  const items = (work.data?.items ?? []).filter((i) => i.count > 0);
  const roles = [...new Set(items.map((i) => i.role))] as Role[];
  return (
    <section aria-labelledby="home-todo" className="todo">
      <h2 id="home-todo">{t('home.todo')}</h2>
      <ProblemSummary problem={work.problem} />
      {work.loading && !work.data ? (
        <Loading />
      ) : work.data && items.length === 0 ? (
        <p>{t('home.todoNone')}</p>
      ) : (
        roles.map((role) => (
          <section key={role} aria-labelledby={`todo-${role}`}>
            <h3 id={`todo-${role}`}>{t('home.todoRole', { role: t(`role.${role}`) })}</h3>
            <ul>
              {items
                .filter((i) => i.role === role)
                .map((i) => (
                  <li key={i.code} data-code={i.code}>
                    <Link to={i.path}>{t(`work.${i.code}` as MessageKey, { count: i.count })}</Link>
                    {i.oldestAt ? t('home.oldest', { date: dateTime(i.oldestAt) }) : null}
                    {i.queues?.length
                      ? t('home.byQueue', { list: i.queues.map((q) => `${q.queue} ${q.count}`).join(', ') })
                      : null}
                  </li>
                ))}
            </ul>
          </section>
        ))
      )}
      {work.data?.unavailable.includes('queues') ? <p>{t('home.queuesUnavailable')}</p> : null}
    </section>
  );
}
