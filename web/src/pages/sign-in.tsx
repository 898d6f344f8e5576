import { type FormEvent, useState } from 'react';
import { LanguageSwitch } from '../components/language-switch.js';
import { PageHeading, ProblemSummary, TextField, useFieldErrors } from '../components/ui.js';
import { useI18n } from '../i18n.js';
import { useSession } from '../session.js';

export function SignInPage() {
  const { t } = useI18n();
  const { signIn, notice } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const errors = useFieldErrors(problem);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await signIn(username, password);
    } catch (err) {
      setProblem(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="top">
        <div className="top-inner">
          <span className="brand">{t('app.name')}</span>
          <div className="top-actions">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" className="narrow" tabIndex={-1}>
        <PageHeading title={t('auth.signIn')}>{t('auth.title')}</PageHeading>
        <p>{t('auth.intro')}</p>
        <div role="status" aria-live="polite" className="status">
          {notice && !problem && (
            <p className="notice">
              <span aria-hidden="true">ℹ </span>
              {t(notice)}
            </p>
          )}
        </div>
        <ProblemSummary
          problem={problem}
          labels={{ username: t('auth.username'), password: t('auth.password') }}
        />
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <TextField
            name="username"
            label={t('auth.username')}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={errors.username}
          />
          <TextField
            name="password"
            type="password"
            label={t('auth.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
          <button type="submit" disabled={busy}>
            {busy ? t('auth.signingIn') : t('auth.signIn')}
          </button>
        </form>
      </main>
    </>
  );
}
