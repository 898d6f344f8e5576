import { useEffect } from 'react';
import { Loading } from './components/ui.js';
import { NotFoundPage } from './pages/not-found.js';
import { SignInPage } from './pages/sign-in.js';
import { pagesFor } from './pages.js';
import { matchPath, navigate, useLocation } from './router.js';
import { useSession } from './session.js';
import { Shell } from './shell.js';

export function App() {
  const { me, restoring } = useSession();
  const { path } = useLocation();

  const signedOutElsewhere = !me && !restoring && path !== '/sign-in';
  useEffect(() => {
    if (signedOutElsewhere) {
      const here = location.pathname + location.search;
      navigate(here === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (me && path === '/sign-in') navigate('/', { replace: true });
  }, [signedOutElsewhere, me, path]);

  if (restoring)
    return (
      <main id="main" className="narrow">
        <Loading />
      </main>
    );
  if (!me) return path === '/sign-in' ? <SignInPage /> : null;

  const pages = pagesFor(me.user.roles);
  for (const page of pages) {
    const params = matchPath(page.path, path);
    if (params) return <Shell pages={pages}>{page.render(params)}</Shell>;
  }
  return (
    <Shell pages={pages}>
      <NotFoundPage />
    </Shell>
  );
}
