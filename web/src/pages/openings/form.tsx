import { type FormEvent, useMemo, useState } from 'react';
import { api, call, fetchData, type Schemas } from '../../api/client.js';
import { CheckList, SkillPicker, type SkillValue } from '../../components/checklist.js';
import {
  Loading,
  PageHeading,
  ProblemSummary,
  SelectField,
  TextField,
  useFieldErrors,
} from '../../components/ui.js';
import { setFlash } from '../../flash.js';
import { useLoad, useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate } from '../../router.js';
import { useMitigations, useVocab, vocabLabel, vocabOptions } from '../../vocab.js';
import { AdvicePanel } from './advice-panel.js';
import { accommodationExplanation, demandExplanation } from './explain.js';
import type { Opening } from './labels.js';

type Content = Omit<Schemas['OpeningCreate'], 'employerId'>;
const SHIFTS = ['day', 'evening', 'night', 'rotating'] as const;
const CANTEEN = ['none', 'paid', 'subsidised', 'free'] as const;
const WORK_PROVINCES = ['440000', '330000'];

interface Draft {
  title: string;
  description: string;
  occupationGroup: string;
  regionCode: string;
  address: string;
  skills: SkillValue[];
  headcount: string;
  wageMin: string;
  wageMax: string;
  hoursPerDay: string;
  daysPerWeek: string;
  shifts: string[];
  jobDemands: string[];
  accommodationsOffered: string[];
  dormitoryProvided: boolean;
  dormitoryAccessible: boolean;
  dormitoryCost: string;
  canteen: (typeof CANTEEN)[number];
  travelSubsidyCny: string;
  termMonths: string;
  socialInsurance: boolean;
  housingFund: boolean;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  startDate: string;
  suitableFor: string[];
}

const EMPTY: Draft = {
  title: '',
  description: '',
  occupationGroup: '',
  regionCode: '',
  address: '',
  skills: [],
  headcount: '1',
  wageMin: '',
  wageMax: '',
  hoursPerDay: '8',
  daysPerWeek: '5',
  shifts: ['day'],
  jobDemands: [],
  accommodationsOffered: [],
  dormitoryProvided: false,
  dormitoryAccessible: false,
  dormitoryCost: '0',
  canteen: 'subsidised',
  travelSubsidyCny: '0',
  termMonths: '12',
  socialInsurance: true,
  housingFund: false,
  contactName: '',
  contactPhone: '',
  contactEmail: '',
  startDate: '',
  suitableFor: [],
};

function fromOpening(o: Opening): Draft {
  return {
    title: o.title,
    description: o.description,
    occupationGroup: o.occupationGroup,
    regionCode: o.regionCode,
    address: o.address,
    skills: o.skills,
    headcount: String(o.headcount),
    wageMin: String(o.wageMin),
    wageMax: String(o.wageMax),
    hoursPerDay: String(o.hours.hoursPerDay),
    daysPerWeek: String(o.hours.daysPerWeek),
    shifts: o.hours.shifts,
    jobDemands: o.jobDemands,
    accommodationsOffered: o.accommodationsOffered,
    dormitoryProvided: o.dormitory.provided,
    dormitoryAccessible: o.dormitory.accessible,
    dormitoryCost: String(o.dormitory.costPerMonthCny),
    canteen: o.canteen,
    travelSubsidyCny: String(o.travelSubsidyCny),
    termMonths: String(o.contract.termMonths),
    socialInsurance: o.contract.socialInsurance,
    housingFund: o.contract.housingFund,
    contactName: o.accommodationContact.name,
    contactPhone: o.accommodationContact.phone,
    contactEmail: o.accommodationContact.email ?? '',
    startDate: o.startDate,
    suitableFor: o.suitableFor,
  };
}

const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

function toContent(d: Draft): Content {
  return {
    title: d.title,
    description: d.description,
    occupationGroup: d.occupationGroup,
    regionCode: d.regionCode,
    address: d.address,
    skills: d.skills,
    preferredTraining: [],
    headcount: num(d.headcount),
    wageMin: num(d.wageMin),
    wageMax: num(d.wageMax),
    hours: {
      hoursPerDay: num(d.hoursPerDay),
      daysPerWeek: num(d.daysPerWeek),
      shifts: d.shifts as Content['hours']['shifts'],
    },
    jobDemands: d.jobDemands,
    accommodationsOffered: d.accommodationsOffered,
    dormitory: {
      provided: d.dormitoryProvided,
      accessible: d.dormitoryProvided && d.dormitoryAccessible,
      costPerMonthCny: num(d.dormitoryCost) || 0,
    },
    canteen: d.canteen,
    travelSubsidyCny: num(d.travelSubsidyCny) || 0,
    contract: {
      termMonths: num(d.termMonths),
      socialInsurance: d.socialInsurance,
      housingFund: d.housingFund,
    },
    accommodationContact: {
      name: d.contactName,
      phone: d.contactPhone,
      ...(d.contactEmail ? { email: d.contactEmail } : {}),
    },
    startDate: d.startDate,
    suitableFor: d.suitableFor,
  } as Content;
}

/**
 * The draft as the advice panel sends it: the fields matching reads as filled in, and neutral
 * stand-ins for the text fields not filled in yet (they do not change who is eligible).
 */
function adviceBody(d: Draft): Content {
  const c = toContent(d);
  return {
    ...c,
    title: d.title.trim().length >= 2 ? c.title : '草稿',
    description: d.description.trim() ? c.description : '草稿',
    occupationGroup: d.occupationGroup || '8',
    address: d.address.trim().length >= 2 ? c.address : '草稿',
    headcount: Number.isFinite(c.headcount) && c.headcount >= 1 ? c.headcount : 1,
    hours: {
      hoursPerDay: Number.isFinite(c.hours.hoursPerDay) ? c.hours.hoursPerDay : 8,
      daysPerWeek: Number.isFinite(c.hours.daysPerWeek) ? c.hours.daysPerWeek : 5,
      shifts: c.hours.shifts.length ? c.hours.shifts : ['day'],
    },
    contract: {
      ...c.contract,
      termMonths: Number.isFinite(c.contract.termMonths) ? c.contract.termMonths : 12,
    },
    accommodationContact:
      d.contactName.trim() && d.contactPhone.trim()
        ? c.accommodationContact
        : { name: '联系人', phone: '0757-83000101' },
    startDate: d.startDate || new Date().toISOString().slice(0, 10),
  };
}

const adviceReady = (d: Draft) =>
  d.regionCode !== '' && Number.isFinite(num(d.wageMin)) && Number.isFinite(num(d.wageMax));

export function OpeningCreatePage() {
  return <OpeningForm />;
}

/** Edits with the version read (If-Match); a 412 says someone else saved first and offers a reload. */
export function OpeningEditPage({ id }: { id: string }) {
  const loaded = useLoad(() => call(api.GET('/api/v1/openings/{id}', { params: { path: { id } } })), [id]);
  if (!loaded.data) return loaded.problem ? <OpeningForm loadProblem={loaded.problem} /> : <Loading />;
  return (
    <OpeningForm
      key={loaded.data.etag ?? ''}
      opening={loaded.data.data}
      etag={loaded.data.etag ?? `W/"${loaded.data.data.version}"`}
      onReload={loaded.reload}
    />
  );
}

function OpeningForm({
  opening,
  etag,
  onReload,
  loadProblem,
}: {
  opening?: Opening;
  etag?: string;
  onReload?: () => void;
  loadProblem?: unknown;
}) {
  const { t, lang } = useI18n();
  const regions = useRegions();
  const occupations = useVocab('occupation_group');
  const skills = useVocab('skill');
  const skillLevels = useVocab('skill_level');
  const demands = useVocab('job_demand');
  const accommodations = useVocab('accommodation');
  const limitations = useVocab('limitation');
  const categories = useVocab('disability_category');
  const mitigations = useMitigations();
  const [d, setD] = useState<Draft>(() => (opening ? fromOpening(opening) : EMPTY));
  const [problem, setProblem] = useState<unknown>(loadProblem ?? null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const title = opening ? t('opening.editTitle', { title: opening.title }) : t('openings.create');

  const places = useMemo(
    () =>
      [...(regions?.values() ?? [])]
        .filter((r) => r.level === 'prefecture' && WORK_PROVINCES.includes(r.parentCode ?? ''))
        .sort((a, b) => a.code.localeCompare(b.code)),
    [regions],
  );
  const label = (kind: 'limitation' | 'accommodation' | 'job_demand', code: string) =>
    vocabLabel(
      kind === 'limitation' ? limitations : kind === 'accommodation' ? accommodations : demands,
      code,
      lang,
    );

  const labels: Record<string, string> = {
    title: t('opening.titleField'),
    description: t('opening.description'),
    occupationGroup: t('opening.occupation'),
    regionCode: t('opening.region'),
    address: t('opening.address'),
    skills: t('opening.skills'),
    headcount: t('openings.headcount'),
    wageMin: t('opening.wageMin'),
    wageMax: t('opening.wageMax'),
    hours: t('opening.hours'),
    jobDemands: t('opening.demands'),
    accommodationsOffered: t('opening.accommodations'),
    dormitory: t('opening.dormitory'),
    canteen: t('opening.canteen'),
    travelSubsidyCny: t('opening.travelSubsidy'),
    contract: t('opening.contract'),
    accommodationContact: t('opening.contact'),
    startDate: t('opening.startDate'),
    suitableFor: t('opening.suitableFor'),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      const body = toContent(d);
      const saved = opening
        ? await fetchData(
            api.PATCH('/api/v1/openings/{id}', {
              params: { path: { id: opening.id } },
              headers: { 'If-Match': etag ?? '' },
              body,
            }),
          )
        : await fetchData(api.POST('/api/v1/openings', { body }));
      setFlash(t(opening ? 'opening.saved' : 'opening.created', { title: saved.title }));
      navigate('/openings');
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };

  if (!regions || !demands || !accommodations) return <Loading />;
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p>
        <Link to="/openings">{t('common.back')}</Link>
      </p>
      {opening && (
        <p className="muted">
          {t(`openingStatus.${opening.status}`)} · {t('common.version')} {opening.version}
        </p>
      )}
      <ProblemSummary problem={problem} labels={labels} onReload={onReload} />
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2>{t('opening.workSection')}</h2>
        <TextField
          name="title"
          label={labels.title!}
          required
          value={d.title}
          onChange={(e) => set({ title: e.target.value })}
          error={errors.title}
        />
        <div className="field">
          <label htmlFor="field-description">
            {labels.description}
            <span className="muted"> {t('common.required')}</span>
          </label>
          {errors.description && (
            <p className="field-error" id="field-description-error">
              <span aria-hidden="true">✗ </span>
              {errors.description}
            </p>
          )}
          <textarea
            id="field-description"
            name="description"
            rows={4}
            required
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? 'field-description-error' : undefined}
            value={d.description}
            onChange={(e) => set({ description: e.target.value })}
          />
        </div>
        <SelectField
          name="occupationGroup"
          label={labels.occupationGroup!}
          required
          emptyLabel="—"
          options={vocabOptions(occupations, lang)}
          value={d.occupationGroup}
          onChange={(e) => set({ occupationGroup: e.target.value })}
          error={errors.occupationGroup}
        />
        <SkillPicker
          legend={labels.skills!}
          skills={vocabOptions(skills, lang)}
          levels={vocabOptions(skillLevels, lang)}
          value={d.skills}
          onChange={(v) => set({ skills: v })}
          error={errors.skills}
        />
        <TextField
          name="headcount"
          type="number"
          min={1}
          label={labels.headcount!}
          required
          value={d.headcount}
          onChange={(e) => set({ headcount: e.target.value })}
          error={errors.headcount}
        />
        <TextField
          name="startDate"
          type="date"
          label={labels.startDate!}
          required
          value={d.startDate}
          onChange={(e) => set({ startDate: e.target.value })}
          error={errors.startDate}
        />

        <h2>{t('opening.placeSection')}</h2>
        <SelectField
          name="regionCode"
          label={labels.regionCode!}
          required
          emptyLabel="—"
          options={places.map((r) => ({ value: r.code, label: r.zh }))}
          value={d.regionCode}
          onChange={(e) => set({ regionCode: e.target.value })}
          error={errors.regionCode}
        />
        <TextField
          name="address"
          label={labels.address!}
          required
          value={d.address}
          onChange={(e) => set({ address: e.target.value })}
          error={errors.address}
        />

        <h2>{t('opening.termsSection')}</h2>
        <TextField
          name="wageMin"
          type="number"
          min={0}
          step={100}
          label={labels.wageMin!}
          hint={t('opening.wageHint')}
          required
          value={d.wageMin}
          onChange={(e) => set({ wageMin: e.target.value })}
          error={errors.wageMin}
        />
        <TextField
          name="wageMax"
          type="number"
          min={0}
          step={100}
          label={labels.wageMax!}
          required
          value={d.wageMax}
          onChange={(e) => set({ wageMax: e.target.value })}
          error={errors.wageMax}
        />
        <fieldset className={`field${errors.hours ? ' field-invalid' : ''}`} id="field-hours">
          <legend>{labels.hours}</legend>
          {errors.hours && (
            <p className="field-error">
              <span aria-hidden="true">✗ </span>
              {errors.hours}
            </p>
          )}
          <TextField
            name="hoursPerDay"
            type="number"
            min={1}
            max={12}
            step={0.5}
            label={t('opening.hoursPerDay')}
            required
            value={d.hoursPerDay}
            onChange={(e) => set({ hoursPerDay: e.target.value })}
          />
          <TextField
            name="daysPerWeek"
            type="number"
            min={1}
            max={7}
            label={t('opening.daysPerWeek')}
            required
            value={d.daysPerWeek}
            onChange={(e) => set({ daysPerWeek: e.target.value })}
          />
          <CheckList
            name="shifts"
            legend={t('opening.shifts')}
            options={SHIFTS.map((s) => ({ value: s, label: t(`shift.${s}`) }))}
            value={d.shifts}
            onChange={(v) => set({ shifts: v })}
          />
        </fieldset>
        <TextField
          name="termMonths"
          type="number"
          min={1}
          label={t('opening.termMonths')}
          required
          value={d.termMonths}
          onChange={(e) => set({ termMonths: e.target.value })}
          error={errors.contract}
        />
        <fieldset className="field">
          <legend>{t('opening.benefits')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={d.socialInsurance}
              onChange={(e) => set({ socialInsurance: e.target.checked })}
            />
            {t('opening.socialInsurance')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={d.housingFund}
              onChange={(e) => set({ housingFund: e.target.checked })}
            />
            {t('opening.housingFund')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={d.dormitoryProvided}
              onChange={(e) => set({ dormitoryProvided: e.target.checked })}
            />
            {t('opening.dormitoryProvided')}
          </label>
          {d.dormitoryProvided && (
            <label className="check">
              <input
                type="checkbox"
                checked={d.dormitoryAccessible}
                onChange={(e) => set({ dormitoryAccessible: e.target.checked })}
              />
              {t('opening.dormitoryAccessible')}
            </label>
          )}
        </fieldset>
        <SelectField
          name="canteen"
          label={labels.canteen!}
          options={CANTEEN.map((c) => ({ value: c, label: t(`canteen.${c}`) }))}
          value={d.canteen}
          onChange={(e) => set({ canteen: e.target.value as Draft['canteen'] })}
          error={errors.canteen}
        />
        <TextField
          name="travelSubsidyCny"
          type="number"
          min={0}
          label={labels.travelSubsidyCny!}
          value={d.travelSubsidyCny}
          onChange={(e) => set({ travelSubsidyCny: e.target.value })}
          error={errors.travelSubsidyCny}
        />

        <h2>{t('opening.accessSection')}</h2>
        <p className="hint">{t('opening.accessIntro')}</p>
        <CheckList
          name="jobDemands"
          legend={labels.jobDemands!}
          hint={t('opening.demandsHint')}
          options={vocabOptions(demands, lang).map((o) => ({
            ...o,
            explanation: demandExplanation(t, o.value, mitigations, label),
          }))}
          value={d.jobDemands}
          onChange={(v) => set({ jobDemands: v })}
          error={errors.jobDemands}
        />
        <CheckList
          name="accommodationsOffered"
          legend={labels.accommodationsOffered!}
          hint={t('opening.accommodationsHint')}
          options={vocabOptions(accommodations, lang).map((o) => ({
            ...o,
            explanation: accommodationExplanation(t, o.value, mitigations, label),
          }))}
          value={d.accommodationsOffered}
          onChange={(v) => set({ accommodationsOffered: v })}
          error={errors.accommodationsOffered}
        />
        <AdvicePanel body={adviceBody(d)} ready={adviceReady(d)} />
        <CheckList
          name="suitableFor"
          legend={labels.suitableFor!}
          hint={t('opening.suitableForHint')}
          columns
          options={vocabOptions(categories, lang)}
          value={d.suitableFor}
          onChange={(v) => set({ suitableFor: v })}
          error={errors.suitableFor}
        />
        <fieldset
          className={`field${errors.accommodationContact ? ' field-invalid' : ''}`}
          id="field-accommodationContact"
        >
          <legend>{labels.accommodationContact}</legend>
          <p className="hint">{t('opening.contactHint')}</p>
          {errors.accommodationContact && (
            <p className="field-error">
              <span aria-hidden="true">✗ </span>
              {errors.accommodationContact}
            </p>
          )}
          <TextField
            name="contactName"
            label={t('opening.contactName')}
            required
            value={d.contactName}
            onChange={(e) => set({ contactName: e.target.value })}
          />
          <TextField
            name="contactPhone"
            type="tel"
            label={t('opening.contactPhone')}
            hint={t('opening.contactPhoneHint')}
            required
            value={d.contactPhone}
            onChange={(e) => set({ contactPhone: e.target.value })}
          />
          <TextField
            name="contactEmail"
            type="email"
            label={t('opening.contactEmail')}
            value={d.contactEmail}
            onChange={(e) => set({ contactEmail: e.target.value })}
          />
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : opening ? t('common.save') : t('opening.saveDraft')}
        </button>
      </form>
    </>
  );
}
