import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, fetchData, type Role, type Schemas } from '../../api/client.js';
import { Pager } from '../../components/pager.js';
import {
  CheckboxGroup,
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  StatusMessage,
  TableWrap,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { setFlash, takeFlash } from '../../flash.js';
import { useLoad } from '../../hooks.js';
import { type T, useI18n } from '../../i18n.js';
import { ALL_ROLES } from '../../roles.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';

type User = Schemas['User'];
const LIST = '/admin/users';

/** Organisations for the pickers: one page of 200 (the API's maximum) covers the pilot's scale. */
function useOrganizations() {
  return useLoad(
    () => fetchData(api.GET('/api/v1/organizations', { params: { query: { limit: 200 } } })),
    [],
  );
}

function statusText(t: T, u: User, dateTime: (iso: string | null) => string): string {
  if (u.disabled) return t('user.disabled');
  if (u.locked)
    return u.lockedUntil ? t('user.lockedUntil', { time: dateTime(u.lockedUntil) }) : t('user.locked');
  return t('user.active');
}

export function UsersPage() {
  const { t, dateTime } = useI18n();
  const { query } = useLocation();
  const orgs = useOrganizations();
  const organizationId = query.get('organizationId') ?? '';
  const role = (query.get('role') ?? '') as Role | '';
  const locked = (query.get('locked') ?? '') as 'true' | 'false' | '';
  const cursor = query.get('cursor') ?? undefined;
  const page = Number(query.get('page') ?? '1') || 1;
  const [message, setMessage] = useState<string | null>(takeFlash);
  const [problem, setProblem] = useState<unknown>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);
  const list = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/users', {
          params: {
            query: {
              organizationId: organizationId || undefined,
              role: role || undefined,
              locked: locked || undefined,
              cursor,
              limit: 50,
            },
          },
        }),
      ),
    [organizationId, role, locked, cursor],
  );
  const orgName = new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name]));
  const filters = { organizationId, role, locked };
  const setFilter = (patch: Partial<typeof filters>) =>
    navigate(withQuery(LIST, { ...filters, ...patch }), { focus: false });

  const unlock = async (u: User) => {
    setProblem(null);
    setMessage(null);
    try {
      await fetchData(api.POST('/api/v1/users/{id}/unlock', { params: { path: { id: u.id } } }));
      setMessage(t('user.unlocked', { name: u.username }));
      list.reload();
    } catch (err) {
      setProblem(err);
    }
  };

  return (
    <>
      <PageHeading title={t('user.title')}>{t('user.title')}</PageHeading>
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={problem ?? list.problem} />
      <p>
        <Link className="button" to={`${LIST}/new`}>
          {t('user.create')}
        </Link>
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="organizationId"
          label={t('user.filterOrg')}
          value={organizationId}
          emptyLabel={t('common.all')}
          options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
          onChange={(e) => setFilter({ organizationId: e.target.value })}
        />
        <SelectField
          name="role"
          label={t('user.filterRole')}
          value={role}
          emptyLabel={t('common.all')}
          options={ALL_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={(e) => setFilter({ role: e.target.value as Role })}
        />
        <SelectField
          name="locked"
          label={t('user.filterLocked')}
          value={locked}
          emptyLabel={t('common.all')}
          options={[
            { value: 'true', label: t('user.onlyLocked') },
            { value: 'false', label: t('user.onlyUnlocked') },
          ]}
          onChange={(e) => setFilter({ locked: e.target.value as 'true' | 'false' })}
        />
      </form>
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data ? (
        <>
          <TableWrap label={t('user.title')}>
            <table>
              <caption>{t('user.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('user.username')}</th>
                  <th scope="col">{t('user.displayName')}</th>
                  <th scope="col">{t('user.organization')}</th>
                  <th scope="col">{t('user.roles')}</th>
                  <th scope="col">{t('user.status')}</th>
                  <th scope="col">{t('user.lastLogin')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.id}>
                    <th scope="row" className="mono">
                      {u.username}
                    </th>
                    <td>{u.displayName}</td>
                    <td>{orgName.get(u.organizationId) ?? u.organizationId}</td>
                    <td>{u.roles.map((r) => t(`role.${r}`)).join('、')}</td>
                    <td>
                      <span className={`badge ${u.locked || u.disabled ? 'badge-warn' : 'badge-ok'}`}>
                        <span aria-hidden="true">{u.locked ? '✗ ' : u.disabled ? '– ' : '✓ '}</span>
                        {statusText(t, u, dateTime)}
                      </span>
                      {u.failedLogins > 0 && (
                        <span className="muted small block">
                          {t('user.failedLogins', { n: u.failedLogins })}
                        </span>
                      )}
                    </td>
                    <td>{u.lastLoginAt ? dateTime(u.lastLoginAt) : t('user.never')}</td>
                    <td className="actions">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={t('user.resetPasswordOf', { name: u.username })}
                        onClick={() => {
                          setMessage(null);
                          setResetFor(u);
                        }}
                      >
                        {t('user.resetPassword')}
                      </button>
                      {u.locked && (
                        <button
                          type="button"
                          aria-label={t('user.unlockOf', { name: u.username })}
                          onClick={() => void unlock(u)}
                        >
                          {t('user.unlock')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.data.items.length === 0 && <p>{t('common.noRows')}</p>}
          <Pager
            path={LIST}
            query={filters}
            nextCursor={list.data.nextCursor}
            page={page}
            shown={list.data.items.length}
          />
        </>
      ) : null}
      {resetFor && (
        <ResetPassword
          user={resetFor}
          onDone={(text) => {
            setResetFor(null);
            setMessage(text);
            list.reload();
          }}
          onCancel={() => setResetFor(null)}
        />
      )}
    </>
  );
}

function ResetPassword({
  user,
  onDone,
  onCancel,
}: {
  user: User;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const errors = useFieldErrors(problem);
  // The panel opens below the table: take the reader there.
  useEffect(() => heading.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await fetchData(
        api.POST('/api/v1/users/{id}/password', { params: { path: { id: user.id } }, body: { password } }),
      );
      onDone(t('user.passwordReset', { name: user.username }));
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="reset-heading">
      <h2 id="reset-heading" ref={heading} tabIndex={-1}>
        {t('user.resetPasswordOf', { name: user.username })}
      </h2>
      <ProblemSummary problem={problem} labels={{ password: t('user.newPassword') }} />
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          name="password"
          type="password"
          autoComplete="new-password"
          label={t('user.newPassword')}
          hint={t('user.passwordHint')}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
        />
        <div className="button-row">
          <button type="submit" disabled={busy}>
            {busy ? t('common.saving') : t('user.resetPassword')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function UserCreatePage() {
  const { t } = useI18n();
  const orgs = useOrganizations();
  const [form, setForm] = useState({
    username: '',
    displayName: '',
    organizationId: '',
    roles: [] as Role[],
    language: 'zh-CN' as 'zh-CN' | 'en',
    password: '',
  });
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const labels = {
    username: t('user.username'),
    displayName: t('user.displayName'),
    organizationId: t('user.organization'),
    roles: t('user.roles'),
    language: t('user.language'),
    password: t('user.password'),
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const user = await fetchData(api.POST('/api/v1/users', { body: form }));
      setFlash(t('user.created', { name: user.username }));
      navigate(LIST);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title={t('user.create')}>{t('user.create')}</PageHeading>
      <p>
        <Link to={LIST}>{t('common.back')}</Link>
      </p>
      <ProblemSummary problem={problem ?? orgs.problem} labels={labels} />
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          name="username"
          label={labels.username}
          hint={t('user.usernameHint')}
          required
          autoCapitalize="none"
          spellCheck={false}
          autoComplete="off"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          error={errors.username}
        />
        <TextField
          name="displayName"
          label={labels.displayName}
          required
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          error={errors.displayName}
        />
        <SelectField
          name="organizationId"
          label={labels.organizationId}
          required
          value={form.organizationId}
          emptyLabel="—"
          options={(orgs.data?.items ?? []).map((o) => ({
            value: o.id,
            label: `${o.name}（${t(`orgType.${o.type}`)}）`,
          }))}
          onChange={(e) => setForm({ ...form, organizationId: e.target.value })}
          error={errors.organizationId}
        />
        <CheckboxGroup
          name="roles"
          legend={labels.roles}
          options={ALL_ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          value={form.roles}
          onChange={(roles) => setForm({ ...form, roles: roles as Role[] })}
          error={errors.roles}
        />
        <SelectField
          name="language"
          label={labels.language}
          value={form.language}
          options={[
            { value: 'zh-CN', label: '简体中文' },
            { value: 'en', label: 'English' },
          ]}
          onChange={(e) => setForm({ ...form, language: e.target.value as 'zh-CN' | 'en' })}
          error={errors.language}
        />
        <TextField
          name="password"
          type="password"
          autoComplete="new-password"
          label={labels.password}
          hint={t('user.passwordHint')}
          required
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          error={errors.password}
        />
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('common.create')}
        </button>
      </form>
    </>
  );
}
