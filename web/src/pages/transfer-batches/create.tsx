import { type FormEvent, useMemo, useState } from 'react';
import { api, call, fetchData, type Schemas } from '../../api/client.js';
import { PageHeading, ProblemSummary, SelectField, useFieldErrors } from '../../components/ui.js';
import { setFlash } from '../../flash.js';
import { regionName, useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';
import { MemberCandidates } from './candidates.js';
import { EMPTY_JOURNEY, type JourneyDraft, JourneyFields, journeyBody } from './fields.js';

type Region = Schemas['Region'];

function within(regions: Map<string, Region>, code: string, ancestor: string): boolean {
  for (let c: string | null | undefined = code; c; c = regions.get(c)?.parentCode)
    if (c === ancestor) return true;
  return false;
}

/** Origins the API takes: a 四川 prefecture or county within the federation's jurisdiction. */
function useOrigins(jurisdiction: string | null | undefined) {
  const { lang } = useI18n();
  const regions = useRegions();
  return useMemo(() => {
    if (!regions) return [];
    return [...regions.values()]
      .filter(
        (r) =>
          (r.level === 'prefecture' || r.level === 'county') &&
          /^51\d{4}$/.test(r.code) &&
          (!jurisdiction || within(regions, r.code, jurisdiction)),
      )
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((r) => ({ value: r.code, label: regionName(regions, r.code, lang) }));
  }, [regions, jurisdiction, lang]);
}

const LABELS = (t: ReturnType<typeof useI18n>['t']): Record<string, string> => ({
  originCode: t('batch.origin'),
  employerId: t('batch.opening'),
  destinationCode: t('batch.destination'),
  travelDate: t('batch.travelDate'),
  transport: t('batch.transport'),
  groupLeader: t('batch.leader'),
  escorts: t('batch.escorts'),
  matchIds: t('batch.members'),
  placementIds: t('batch.members'),
  note: t('batch.note'),
});

/**
 * A new transfer batch: the opening (its employer and city), the origin county, the journey, and
 * who travels — chosen from the opening's approved (or further along) matches of the federation's
 * own people. The API checks each rule again; its problems show beside the fields they name.
 */
export function TransferBatchCreatePage() {
  const { t } = useI18n();
  const { me } = useSession();
  const regions = useRegions();
  const jurisdiction = me?.user.roles.includes('admin') ? null : me?.organization.jurisdictionCode;
  const origins = useOrigins(jurisdiction);
  const openings = useLoad(
    () => fetchData(api.GET('/api/v1/openings', { params: { query: { sort: '-updatedAt', limit: 100 } } })),
    [],
  );
  const [openingId, setOpeningId] = useState('');
  const [originCode, setOriginCode] = useState('');
  const [journey, setJourney] = useState<JourneyDraft>(EMPTY_JOURNEY);
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const opening = openings.data?.items.find((o) => o.id === openingId);
  const origin = originCode || (origins.length === 1 ? origins[0]!.value : '');

  const chooseOpening = (id: string) => {
    setOpeningId(id);
    setChosen([]);
    const o = openings.data?.items.find((x) => x.id === id);
    // The opening's city is the usual destination; staff may still pick another.
    const city =
      o && regions
        ? [o.regionCode, regions.get(o.regionCode)?.parentCode].find(
            (c) => c && regions.get(c)?.level === 'prefecture',
          )
        : undefined;
    if (city && /^(33|44)/.test(city)) setJourney((j) => ({ ...j, destinationCode: city }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      const { data } = await call(
        api.POST('/api/v1/transfer-batches', {
          body: {
            ...journeyBody(journey),
            originCode: origin,
            employerId: opening?.employerId ?? '',
            matchIds: chosen,
          },
        }),
      );
      setFlash(t('batches.created', { date: data.travelDate }));
      navigate(`/transfer-batches/${data.id}`);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('batches.create')}>{t('batches.create')}</PageHeading>
      <p>
        <Link to="/transfer-batches">{t('common.back')}</Link>
      </p>
      <p className="muted">{t('batches.createIntro')}</p>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <ProblemSummary problem={problem ?? openings.problem} labels={LABELS(t)} />
        <SelectField
          name="employerId"
          label={t('batch.opening')}
          hint={t('batch.openingHint')}
          required
          emptyLabel={openings.loading ? t('app.loading') : '—'}
          options={(openings.data?.items ?? []).map((o) => ({
            value: o.id,
            label: `${o.title} · ${o.employerName ?? ''}`,
          }))}
          value={openingId}
          onChange={(e) => chooseOpening(e.target.value)}
          error={errors.employerId}
        />
        <SelectField
          name="originCode"
          label={t('batch.origin')}
          hint={t('batch.originHint')}
          required
          emptyLabel="—"
          options={origins}
          value={origin}
          onChange={(e) => setOriginCode(e.target.value)}
          error={errors.originCode}
        />
        <JourneyFields draft={journey} onChange={setJourney} errors={errors} />
        <MemberCandidates
          openingId={openingId}
          originCode={origin}
          chosen={chosen}
          onChange={setChosen}
          error={errors.matchIds}
        />
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('batches.createAction')}
        </button>
      </form>
    </>
  );
}
