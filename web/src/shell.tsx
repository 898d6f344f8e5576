import type { ReactNode } from 'react';
import type { Role } from './api/client.js';
import { LanguageSwitch } from './components/language-switch.js';
import { useI18n } from './i18n.js';
import { NAV_SECTIONS, type PageDef } from './pages.js';
import { Link, matchPath, useLocation } from './router.js';
import { useSession } from './session.js';

/** Header (who, which organisation, language, sign out), role-aware navigation, and the page. */
export function Shell({ pages, children }: { pages: PageDef[]; children: ReactNode }) {
  const { me, signOut } = useSession();
  const { t, dateTime } = useI18n();
  const { path } = useLocation();
  if (!me) return null;
  const navPages = pages.filter((p) => p.nav);
  const sections = NAV_SECTIONS.map((s) => ({
    s,
    items: navPages.filter((p) => p.nav!.section === s),
  })).filter((x) => x.items.length > 0);
  // The deepest nav page containing the path is current (/profiles/new is not also /profiles).
  const exact = navPages.some((p) => p.path === path);
  const isCurrent = (p: PageDef) =>
    p.path === '/'
      ? path === '/'
      : path === p.path || (!exact && (path.startsWith(`${p.path}/`) || !!matchPath(p.path, path)));

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="top-inner">
          <Link to="/" className="brand">
            {t('app.name')}
          </Link>
          <dl className="who">
            <div>
              <dt>{t('app.user')}</dt>
              <dd>
                {me.user.displayName} <span className="muted">({me.user.username})</span>
              </dd>
            </div>
            <div>
              <dt>{t('app.organization')}</dt>
              <dd>
                {me.organization.name} <span className="muted">· {t(`orgType.${me.organization.type}`)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('app.roles')}</dt>
              <dd>{me.user.roles.map((r: Role) => t(`role.${r}`)).join('、')}</dd>
            </div>
          </dl>
          <div className="top-actions">
            <LanguageSwitch />
            <button type="button" className="secondary" onClick={() => void signOut()}>
              {t('auth.signOut')}
            </button>
          </div>
        </div>
        <p className="session-until muted small">
          {t('app.sessionUntil', { time: dateTime(me.session.expiresAt) })}
        </p>
      </header>
      <div className="layout">
        <nav aria-label={t('app.nav')} className="side">
          <ul>
            <li>
              <Link to="/" aria-current={path === '/' ? 'page' : undefined}>
                {t('nav.home')}
              </Link>
            </li>
          </ul>
          {sections.map(({ s, items }) => (
            <div key={s}>
              <h2 className="nav-section">{t(`nav.section.${s}`)}</h2>
              <ul>
                {items.map((p) => (
                  <li key={p.path}>
                    <Link to={p.path} aria-current={isCurrent(p) ? 'page' : undefined}>
                      {t(p.nav!.label)}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
