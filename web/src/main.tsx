import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { I18nProvider } from './i18n.js';
import { SessionProvider } from './session.js';
import './styles.css';

// The job seeker's own page has no staff session, shell or sign-in: a separate entry, loaded apart.
const PersonApp = lazy(async () => ({ default: (await import('./pages/me/person-app.js')).PersonApp }));
const person = /^\/me(\/|$)/.test(location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {person ? (
      <Suspense fallback={null}>
        <PersonApp />
      </Suspense>
    ) : (
      <I18nProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </I18nProvider>
    )}
  </StrictMode>,
);
