import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, configureClient, fetchData, type Me } from './api/client.js';
import { type MessageKey, useI18n } from './i18n.js';
import { navigate } from './router.js';

/**
 * The signed-in user. The token lives in sessionStorage: it survives a reload of the tab, not the
 * tab itself, and is sent only as a bearer header by the API client (no cookie, so no CSRF).
 * Expiry is handled twice: a timer at `session.expiresAt`, and any 401 from the API (revoked
 * elsewhere, password changed, account disabled) — both return to sign-in, keeping the page to
 * come back to.
 */
const TOKEN_KEY = 'tx.session';

interface Session {
  me: Me | null;
  /** True while a stored token is being checked at start-up. */
  restoring: boolean;
  /** A message for the sign-in page (expired, signed out). */
  notice: MessageKey | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

function safeNext(path: string): string {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/sign-in') ? path : '/';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { lang, setLang } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(TOKEN_KEY) !== null);
  const [notice, setNotice] = useState<MessageKey | null>(null);

  const drop = useCallback((why: MessageKey | null, keepPlace: boolean) => {
    sessionStorage.removeItem(TOKEN_KEY);
    configureClient({ token: null });
    setMe(null);
    setNotice(why);
    const here = location.pathname + location.search;
    navigate(keepPlace && here !== '/' ? `/sign-in?next=${encodeURIComponent(safeNext(here))}` : '/sign-in', {
      replace: true,
    });
  }, []);

  useEffect(() => {
    configureClient({ lang });
  }, [lang]);

  useEffect(() => {
    configureClient({
      onSessionLost: (code) => drop(code === 'session_expired' ? 'auth.expired' : 'auth.lost', true),
    });
  }, [drop]);

  // A reload: check the stored token once.
  useEffect(() => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return;
    configureClient({ token });
    fetchData(api.GET('/api/v1/auth/me'))
      .then(setMe)
      .catch(() => undefined) // a 401 has already returned to sign-in
      .finally(() => setRestoring(false));
  }, []);

  // The session ends at its expiry even if the page makes no call.
  useEffect(() => {
    if (!me) return;
    const ms = new Date(me.session.expiresAt).getTime() - Date.now();
    const timer = setTimeout(() => drop('auth.expired', true), Math.min(Math.max(ms, 0), 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [me, drop]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const res = await fetchData(api.POST('/api/v1/auth/login', { body: { username, password } }));
      sessionStorage.setItem(TOKEN_KEY, res.token);
      configureClient({ token: res.token });
      if (!localStorage.getItem('tx.lang')) setLang(res.me.user.language);
      setNotice(null);
      setMe(res.me);
      const next = new URLSearchParams(location.search).get('next');
      navigate(safeNext(next ?? '/'), { replace: true });
    },
    [setLang],
  );

  const signOut = useCallback(async () => {
    // Revoke on the server first; if that fails the token is still forgotten here.
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    drop('auth.signedOut', false);
  }, [drop]);

  const value = useMemo(
    () => ({ me, restoring, notice, signIn, signOut }),
    [me, restoring, notice, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
