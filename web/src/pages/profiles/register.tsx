import { type FormEvent, useMemo, useState } from 'react';
import { api, fetchData, type Schemas } from '../../api/client.js';
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
import { useRegions } from '../../hooks.js';
import { useI18n } from '../../i18n.js';
import { Link, navigate } from '../../router.js';
import { useSession } from '../../session.js';
import { useVocab, vocabOptions } from '../../vocab.js';
import { certificateFacts, checkIdentity, idFacts } from './identity-check.js';

type Body = Schemas['WorkerProfileCreate'];
const CHANNELS = ['paper_form', 'in_person', 'phone', 'video', 'online'] as const;

/** Guangdong and Zhejiang, and their prefectures: where people may choose to work. */
const DESTINATION_PROVINCES = ['440000', '330000'];

/**
 * Registering one person. Identity numbers are checked as they are typed with the API's own rules
 * (identity-rules.ts); everything else the API checks on submit, and its problem details come back
 * as the same messages under the fields, linked from the summary.
 */
export function RegisterProfilePage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const regions = useRegions();
  const categories = useVocab('disability_category');
  const levels = useVocab('disability_level');
  const limitations = useVocab('limitation');
  const accommodations = useVocab('accommodation');
  const skills = useVocab('skill');
  const skillLevels = useVocab('skill_level');
  const education = useVocab('education');
  const languages = useVocab('language');
  const [form, setForm] = useState({
    name: '',
    idNumber: '',
    certificateNumber: '',
    phone: '',
    disabilityCategory: '',
    disabilityLevel: '',
    originCode: '',
    functionalLimitations: [] as string[],
    accommodationsNeeded: [] as string[],
    skills: [] as SkillValue[],
    education: '',
    languages: ['cmn'] as string[],
    destinationCodes: [] as string[],
    minimumWage: '',
    needsDormitory: false,
    needsAccessibleDormitory: false,
    willingToTravelWithGroup: '' as '' | 'true' | 'false',
    consent: true,
    consentChannel: 'paper_form' as (typeof CHANNELS)[number],
    consentTextVersion: 'pi-2024.1',
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [autoFilled, setAutoFilled] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const apiErrors = useFieldErrors(problem);
  const live = checkIdentity(form, lang, touched);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const blur = (name: string) => () => setTouched((s) => new Set(s).add(name));
  const error = (name: string) => (live as Record<string, string | undefined>)[name] ?? apiErrors[name];

  const jurisdiction = me?.organization.jurisdictionCode ?? '';
  const origins = useMemo(
    () =>
      [...(regions?.values() ?? [])]
        .filter((r) => r.code === jurisdiction || r.parentCode === jurisdiction)
        .sort((a, b) => a.code.localeCompare(b.code)),
    [regions, jurisdiction],
  );
  const destinations = useMemo(
    () =>
      [...(regions?.values() ?? [])]
        .filter(
          (r) =>
            DESTINATION_PROVINCES.includes(r.code) ||
            (r.level === 'prefecture' && DESTINATION_PROVINCES.includes(r.parentCode ?? '')),
        )
        .sort((a, b) => a.code.localeCompare(b.code)),
    [regions],
  );
  const facts = idFacts(form.idNumber);

  const labels = {
    name: t('profile.name'),
    idNumber: t('profile.idNumber'),
    certificateNumber: t('profile.certificateNumber'),
    phone: t('profile.phone'),
    disabilityCategory: t('profile.category'),
    disabilityLevel: t('profile.level'),
    originCode: t('profile.origin'),
    functionalLimitations: t('profile.limitations'),
    accommodationsNeeded: t('profile.accommodationsNeeded'),
    skills: t('profile.skills'),
    education: t('profile.education'),
    languages: t('profile.languages'),
    preferences: t('profile.preferences'),
    processingConsent: t('profile.consent'),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(new Set(['idNumber', 'certificateNumber', 'phone']));
    setProblem(null);
    setBusy(true);
    const body: Body = {
      name: form.name,
      idNumber: form.idNumber,
      certificateNumber: form.certificateNumber,
      phone: form.phone || null,
      disabilityCategory: form.disabilityCategory as Body['disabilityCategory'],
      disabilityLevel: form.disabilityLevel as Body['disabilityLevel'],
      originCode: form.originCode,
      functionalLimitations: form.functionalLimitations,
      accommodationsNeeded: form.accommodationsNeeded,
      assistiveDevices: [],
      experience: [],
      guardian: null,
      skills: form.skills,
      education: form.education || null,
      languages: form.languages,
      preferences: {
        destinationCodes: form.destinationCodes,
        minimumWage: form.minimumWage ? Number(form.minimumWage) : null,
        jobTypes: [],
        needsDormitory: form.needsDormitory || form.needsAccessibleDormitory,
        needsAccessibleDormitory: form.needsAccessibleDormitory,
        willingToTravelWithGroup: form.willingToTravelWithGroup
          ? form.willingToTravelWithGroup === 'true'
          : null,
      },
      ...(form.consent
        ? {
            processingConsent: {
              textVersion: form.consentTextVersion,
              channel: form.consentChannel,
              givenBy: 'self' as const,
              assistedByStaff: false,
            },
          }
        : {}),
    } as Body;
    try {
      const created = await fetchData(api.POST('/api/v1/worker-profiles', { body }));
      setFlash(t('profile.registered', { name: created.name }));
      navigate(`/profiles/${created.id}`);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };

  if (!regions || !categories) return <Loading />;
  return (
    <>
      <PageHeading title={t('profiles.register')}>{t('profiles.register')}</PageHeading>
      <p>
        <Link to="/profiles">{t('common.back')}</Link>
      </p>
      <p className="muted">{t('profile.registerIntro')}</p>
      <ProblemSummary problem={problem} labels={labels} />
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <h2>{t('profile.identitySection')}</h2>
        <TextField
          name="name"
          label={labels.name}
          required
          autoComplete="off"
          value={form.name}
          onChange={(e) => set({ name: e.target.value })}
          error={apiErrors.name}
        />
        <TextField
          name="idNumber"
          label={labels.idNumber}
          hint={
            facts
              ? t('profile.idFacts', { birthDate: facts.birthDate, sex: t(`sex.${facts.sex}`) })
              : t('profile.idNumberHint')
          }
          required
          autoComplete="off"
          spellCheck={false}
          inputMode="text"
          maxLength={24}
          value={form.idNumber}
          onChange={(e) => set({ idNumber: e.target.value })}
          onBlur={blur('idNumber')}
          error={error('idNumber')}
        />
        <TextField
          name="certificateNumber"
          label={labels.certificateNumber}
          hint={t('profile.certificateHint')}
          required
          autoComplete="off"
          spellCheck={false}
          maxLength={30}
          value={form.certificateNumber}
          onChange={(e) => {
            const v = e.target.value;
            const cert = certificateFacts(v);
            // The certificate encodes category and level: fill them unless chosen by hand.
            set({
              certificateNumber: v,
              ...(cert && (!form.disabilityCategory || autoFilled)
                ? { disabilityCategory: cert.category }
                : {}),
              ...(cert && (!form.disabilityLevel || autoFilled) ? { disabilityLevel: cert.level } : {}),
            });
            if (cert) setAutoFilled(true);
          }}
          onBlur={blur('certificateNumber')}
          error={error('certificateNumber')}
        />
        <SelectField
          name="disabilityCategory"
          label={labels.disabilityCategory}
          required
          emptyLabel="—"
          options={vocabOptions(categories, lang)}
          value={form.disabilityCategory}
          onChange={(e) => {
            setAutoFilled(false);
            set({ disabilityCategory: e.target.value });
          }}
          error={error('disabilityCategory')}
        />
        <SelectField
          name="disabilityLevel"
          label={labels.disabilityLevel}
          required
          emptyLabel="—"
          options={vocabOptions(levels, lang)}
          value={form.disabilityLevel}
          onChange={(e) => {
            setAutoFilled(false);
            set({ disabilityLevel: e.target.value });
          }}
          error={error('disabilityLevel')}
        />
        <TextField
          name="phone"
          type="tel"
          label={labels.phone}
          hint={t('profile.phoneHint')}
          autoComplete="off"
          value={form.phone}
          onChange={(e) => set({ phone: e.target.value })}
          onBlur={blur('phone')}
          error={error('phone')}
        />
        <SelectField
          name="originCode"
          label={labels.originCode}
          hint={t('profile.originHint')}
          required
          emptyLabel="—"
          options={origins.map((r) => ({ value: r.code, label: `${r.zh}（${r.code}）` }))}
          value={form.originCode}
          onChange={(e) => set({ originCode: e.target.value })}
          error={apiErrors.originCode}
        />

        <h2>{t('profile.needsSection')}</h2>
        <CheckList
          name="functionalLimitations"
          legend={labels.functionalLimitations}
          hint={t('profile.limitationsHint')}
          columns
          options={vocabOptions(limitations, lang)}
          value={form.functionalLimitations}
          onChange={(v) => set({ functionalLimitations: v })}
          error={apiErrors.functionalLimitations}
        />
        <CheckList
          name="accommodationsNeeded"
          legend={labels.accommodationsNeeded}
          hint={t('profile.accommodationsHint')}
          columns
          options={vocabOptions(accommodations, lang)}
          value={form.accommodationsNeeded}
          onChange={(v) => set({ accommodationsNeeded: v })}
          error={apiErrors.accommodationsNeeded}
        />

        <h2>{t('profile.skillsSection')}</h2>
        <SkillPicker
          legend={labels.skills}
          skills={vocabOptions(skills, lang)}
          levels={vocabOptions(skillLevels, lang)}
          value={form.skills}
          onChange={(v) => set({ skills: v })}
          error={apiErrors.skills}
        />
        <SelectField
          name="education"
          label={labels.education}
          emptyLabel="—"
          options={vocabOptions(education, lang)}
          value={form.education}
          onChange={(e) => set({ education: e.target.value })}
          error={apiErrors.education}
        />
        <CheckList
          name="languages"
          legend={labels.languages}
          columns
          options={vocabOptions(languages, lang)}
          value={form.languages}
          onChange={(v) => set({ languages: v })}
          error={apiErrors.languages}
        />

        <h2>{t('profile.preferences')}</h2>
        <CheckList
          name="destinationCodes"
          legend={t('profile.destinations')}
          hint={t('profile.destinationsHint')}
          columns
          options={destinations.map((r) => ({ value: r.code, label: r.zh }))}
          value={form.destinationCodes}
          onChange={(v) => set({ destinationCodes: v })}
          error={apiErrors.preferences}
        />
        <TextField
          name="minimumWage"
          type="number"
          inputMode="numeric"
          min={0}
          step={100}
          label={t('profile.minimumWage')}
          value={form.minimumWage}
          onChange={(e) => set({ minimumWage: e.target.value })}
        />
        <fieldset className="field">
          <legend>{t('profile.dormitory')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={form.needsDormitory}
              onChange={(e) => set({ needsDormitory: e.target.checked })}
            />
            {t('profile.needsDormitory')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={form.needsAccessibleDormitory}
              onChange={(e) => set({ needsAccessibleDormitory: e.target.checked })}
            />
            {t('profile.needsAccessibleDormitory')}
          </label>
        </fieldset>
        <SelectField
          name="willingToTravelWithGroup"
          label={t('profile.travelWithGroup')}
          emptyLabel={t('common.unknown')}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
          value={form.willingToTravelWithGroup}
          onChange={(e) => set({ willingToTravelWithGroup: e.target.value as '' | 'true' | 'false' })}
        />

        <h2>{t('profile.consent')}</h2>
        <fieldset className="field" id="field-processingConsent">
          <legend>{t('profile.consentLegend')}</legend>
          <p className="hint">{t('profile.consentHint')}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={form.consent}
              onChange={(e) => set({ consent: e.target.checked })}
            />
            {t('profile.consentGiven')}
          </label>
          {form.consent && (
            <>
              <SelectField
                name="consentChannel"
                label={t('consent.channel')}
                options={CHANNELS.map((c) => ({ value: c, label: t(`consentChannel.${c}`) }))}
                value={form.consentChannel}
                onChange={(e) => set({ consentChannel: e.target.value as (typeof CHANNELS)[number] })}
              />
              <TextField
                name="consentTextVersion"
                label={t('consent.textVersion')}
                value={form.consentTextVersion}
                onChange={(e) => set({ consentTextVersion: e.target.value })}
                error={apiErrors.processingConsent}
              />
            </>
          )}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('profile.submitRegister')}
        </button>
      </form>
    </>
  );
}
