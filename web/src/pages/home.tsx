import { PageHeading } from '../components/ui.js';
import { useI18n } from '../i18n.js';
import { pagesFor } from '../pages.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

/** What this person can do: exactly the pages their roles have (nothing that is not built). */
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
      {pages.length ? (
        <>
          <p>{t('home.intro')}</p>
          <ul className="cards">
            {pages.map((p) => (
              <li key={p.path}>
                <Link to={p.path}>{t(p.nav!.label)}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('home.nothing')}</p>
      )}
    </>
  );
}
