import { type FormEvent, useState } from 'react';
import { api, call, fetchData, type Schemas } from '../../api/client.js';
import { Pager } from '../../components/pager.js';
import {
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
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { type MessageKey, useI18n } from '../../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';

type Organization = Schemas['Organization'];
type OrgType = Organization['type'];
const ORG_TYPES: OrgType[] = ['recipient_federation', 'supporting_federation', 'employer', 'platform'];
const LIST = '/admin/organizations';

export function OrganizationsPage() {
  const { t, lang, dateTime } = useI18n();
  const { query } = useLocation();
  const regions = useRegions();
  const type = (query.get('type') ?? '') as OrgType | '';
  const cursor = query.get('cursor') ?? undefined;
  const page = Number(query.get('page') ?? '1') || 1;
  const [flash] = useState(takeFlash);
  const list = useLoad(
    () =>
      fetchData(
        api.GET('/api/v1/organizations', {
          params: { query: { type: type || undefined, cursor, limit: 50 } },
        }),
      ),
    [type, cursor],
  );
  const typeOptions = ORG_TYPES.map((v) => ({ value: v, label: t(`orgType.${v}`) }));

  return (
    <>
      <PageHeading title={t('org.title')}>{t('org.title')}</PageHeading>
      <StatusMessage>{flash}</StatusMessage>
      <p>
        <Link className="button" to={`${LIST}/new`}>
          {t('org.create')}
        </Link>
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="type"
          label={t('org.filterType')}
          value={type}
          emptyLabel={t('common.all')}
          options={typeOptions}
          onChange={(e) => navigate(withQuery(LIST, { type: e.target.value }), { focus: false })}
        />
      </form>
      <ProblemSummary problem={list.problem} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data ? (
        <>
          <TableWrap label={t('org.title')}>
            <table>
              <caption>{t('org.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('org.name')}</th>
                  <th scope="col">{t('org.type')}</th>
                  <th scope="col">{t('org.region')}</th>
                  <th scope="col">{t('org.creditCode')}</th>
                  <th scope="col">{t('org.staffCount')}</th>
                  <th scope="col">{t('common.version')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">
                      {o.name}
                      {o.nameEn && (
                        <span className="muted small block" lang="en">
                          {o.nameEn}
                        </span>
                      )}
                    </th>
                    <td>{t(`orgType.${o.type}`)}</td>
                    <td>{regionName(regions, o.jurisdictionCode ?? o.locationCode, lang)}</td>
                    <td className="mono">{o.creditCode ?? ''}</td>
                    <td>{o.staffCount ?? ''}</td>
                    <td title={dateTime(o.updatedAt)}>{o.version}</td>
                    <td>
                      <Link to={`${LIST}/${o.id}`} aria-label={`${t('common.edit')} ${o.name}`}>
                        {t('common.edit')}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.data.items.length === 0 && <p>{t('common.noRows')}</p>}
          <Pager
            path={LIST}
            query={{ type: type || undefined }}
            nextCursor={list.data.nextCursor}
            page={page}
            shown={list.data.items.length}
          />
        </>
      ) : null}
    </>
  );
}

interface OrgForm {
  type: OrgType;
  name: string;
  nameEn: string;
  jurisdictionCode: string;
  creditCode: string;
  locationCode: string;
  industryCode: string;
  staffCount: string;
}

const EMPTY: OrgForm = {
  type: 'employer',
  name: '',
  nameEn: '',
  jurisdictionCode: '',
  creditCode: '',
  locationCode: '',
  industryCode: '',
  staffCount: '',
};

function labelsOf(t: (k: MessageKey) => string): Record<string, string> {
  return {
    type: t('org.type'),
    name: t('org.name'),
    nameEn: t('org.nameEn'),
    jurisdictionCode: t('org.jurisdiction'),
    creditCode: t('org.creditCode'),
    locationCode: t('org.location'),
    industryCode: t('org.industryCode'),
    staffCount: t('org.staffCount'),
  };
}

/** The fields an organisation of `type` has (the API's discriminated union). */
function OrgFields({
  form,
  set,
  errors,
  typeFixed,
}: {
  form: OrgForm;
  set: (patch: Partial<OrgForm>) => void;
  errors: Record<string, string>;
  typeFixed: boolean;
}) {
  const { t } = useI18n();
  const labels = labelsOf(t);
  const federation = form.type === 'recipient_federation' || form.type === 'supporting_federation';
  return (
    <>
      {typeFixed ? (
        <p>
          <strong>{labels.type}：</strong>
          {t(`orgType.${form.type}`)}
        </p>
      ) : (
        <SelectField
          name="type"
          label={labels.type!}
          required
          value={form.type}
          options={ORG_TYPES.map((v) => ({ value: v, label: t(`orgType.${v}`) }))}
          onChange={(e) => set({ type: e.target.value as OrgType })}
          error={errors.type}
        />
      )}
      <TextField
        name="name"
        label={labels.name!}
        required
        value={form.name}
        onChange={(e) => set({ name: e.target.value })}
        error={errors.name}
      />
      <TextField
        name="nameEn"
        label={labels.nameEn!}
        lang="en"
        value={form.nameEn}
        onChange={(e) => set({ nameEn: e.target.value })}
        error={errors.nameEn}
      />
      {federation && (
        <TextField
          name="jurisdictionCode"
          label={labels.jurisdictionCode!}
          hint={t('org.jurisdictionHint')}
          required
          inputMode="numeric"
          value={form.jurisdictionCode}
          onChange={(e) => set({ jurisdictionCode: e.target.value })}
          error={errors.jurisdictionCode}
        />
      )}
      {form.type === 'employer' && (
        <>
          <TextField
            name="creditCode"
            label={labels.creditCode!}
            hint={t('org.creditCodeHint')}
            required
            autoCapitalize="characters"
            spellCheck={false}
            value={form.creditCode}
            onChange={(e) => set({ creditCode: e.target.value })}
            error={errors.creditCode}
          />
          <TextField
            name="locationCode"
            label={labels.locationCode!}
            hint={t('org.locationHint')}
            required
            inputMode="numeric"
            value={form.locationCode}
            onChange={(e) => set({ locationCode: e.target.value })}
            error={errors.locationCode}
          />
          <TextField
            name="industryCode"
            label={labels.industryCode!}
            hint={t('org.industryHint')}
            required
            value={form.industryCode}
            onChange={(e) => set({ industryCode: e.target.value })}
            error={errors.industryCode}
          />
          <TextField
            name="staffCount"
            label={labels.staffCount!}
            required
            inputMode="numeric"
            value={form.staffCount}
            onChange={(e) => set({ staffCount: e.target.value })}
            error={errors.staffCount}
          />
        </>
      )}
    </>
  );
}

function createBody(f: OrgForm): Schemas['OrganizationCreate'] {
  const common = { name: f.name, ...(f.nameEn.trim() ? { nameEn: f.nameEn } : {}) };
  switch (f.type) {
    case 'recipient_federation':
    case 'supporting_federation':
      return { type: f.type, ...common, jurisdictionCode: f.jurisdictionCode.trim() };
    case 'employer':
      return {
        type: 'employer',
        ...common,
        creditCode: f.creditCode,
        locationCode: f.locationCode.trim(),
        industryCode: f.industryCode.trim(),
        staffCount: Number(f.staffCount),
      };
    case 'platform':
      return { type: 'platform', ...common };
  }
}

export function OrganizationCreatePage() {
  const { t } = useI18n();
  const [form, setForm] = useState<OrgForm>(EMPTY);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const org = await fetchData(api.POST('/api/v1/organizations', { body: createBody(form) }));
      setFlash(t('org.created', { name: org.name }));
      navigate(LIST);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title={t('org.create')}>{t('org.create')}</PageHeading>
      <p>
        <Link to={LIST}>{t('common.back')}</Link>
      </p>
      <ProblemSummary problem={problem} labels={labelsOf(t)} />
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <OrgFields form={form} set={(p) => setForm({ ...form, ...p })} errors={errors} typeFixed={false} />
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('common.create')}
        </button>
      </form>
    </>
  );
}

function toForm(o: Organization): OrgForm {
  return {
    type: o.type,
    name: o.name,
    nameEn: o.nameEn ?? '',
    jurisdictionCode: o.jurisdictionCode ?? '',
    creditCode: o.creditCode ?? '',
    locationCode: o.locationCode ?? '',
    industryCode: o.industryCode ?? '',
    staffCount: o.staffCount == null ? '' : String(o.staffCount),
  };
}

/** Only what changed is sent, with the version read (If-Match): a concurrent edit is a 412, never lost. */
function patchBody(before: OrgForm, after: OrgForm): Schemas['OrganizationUpdate'] {
  const body: Record<string, unknown> = {};
  if (after.name !== before.name) body.name = after.name;
  if (after.nameEn !== before.nameEn) body.nameEn = after.nameEn.trim() ? after.nameEn : null;
  for (const k of ['jurisdictionCode', 'creditCode', 'locationCode', 'industryCode'] as const)
    if (after[k] !== before[k]) body[k] = after[k].trim();
  if (after.staffCount !== before.staffCount) body.staffCount = Number(after.staffCount);
  return body as Schemas['OrganizationUpdate'];
}

export function OrganizationEditPage({ id }: { id: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState<OrgForm | null>(null);
  const loaded = useLoad(async () => {
    const res = await call(api.GET('/api/v1/organizations/{id}', { params: { path: { id } } }));
    setForm(toForm(res.data));
    return res;
  }, [id]);
  const errors = useFieldErrors(problem);
  const reload = () => {
    setProblem(null);
    loaded.reload();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!loaded.data || !form) return;
    const body = patchBody(toForm(loaded.data.data), form);
    if (Object.keys(body).length === 0) return navigate(LIST);
    setBusy(true);
    setProblem(null);
    try {
      const org = await fetchData(
        api.PATCH('/api/v1/organizations/{id}', {
          params: { path: { id } },
          headers: { 'If-Match': loaded.data.etag ?? '' },
          body,
        }),
      );
      setFlash(t('org.updated', { name: org.name }));
      navigate(LIST);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeading title={t('org.edit')}>
        {t('org.edit')}
        {loaded.data ? `：${loaded.data.data.name}` : ''}
      </PageHeading>
      <p>
        <Link to={LIST}>{t('common.back')}</Link>
      </p>
      <ProblemSummary problem={problem ?? loaded.problem} labels={labelsOf(t)} onReload={reload} />
      {!form ? (
        loaded.loading && <Loading />
      ) : (
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <OrgFields form={form} set={(p) => setForm({ ...form, ...p })} errors={errors} typeFixed />
          <p className="muted small">
            {t('common.version')}: {loaded.data?.data.version}
          </p>
          <button type="submit" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </form>
      )}
    </>
  );
}
