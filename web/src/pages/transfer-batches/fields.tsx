import { SelectField, TextField } from '../../components/ui.js';
import { regionName, useRegions } from '../../hooks.js';
import { type T, useI18n } from '../../i18n.js';
import { type JourneyDraft, MAX_ESCORTS, TRANSPORTS, type Transport } from './journey.js';

export {
  type Batch,
  EMPTY_JOURNEY,
  type JourneyDraft,
  journeyBody,
  journeyOf,
  TRANSPORTS,
} from './journey.js';

/** Destinations the API takes: a 浙江 or 广东 city (prefecture). */
export function useDestinations() {
  const { lang } = useI18n();
  const regions = useRegions();
  return [...(regions?.values() ?? [])]
    .filter((r) => r.level === 'prefecture' && /^(33|44)\d{4}$/.test(r.code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({ value: r.code, label: regionName(regions, r.code, lang) }));
}

export const transportLabel = (t: T, x: string) =>
  (TRANSPORTS as readonly string[]).includes(x) ? t(`batch.transport.${x as Transport}`) : x;

/** Destination, date, transport, group leader, escorts and note; errors from the API per field. */
export function JourneyFields({
  draft,
  onChange,
  errors,
}: {
  draft: JourneyDraft;
  onChange: (next: JourneyDraft) => void;
  errors: Record<string, string>;
}) {
  const { t } = useI18n();
  const destinations = useDestinations();
  const set = (patch: Partial<JourneyDraft>) => onChange({ ...draft, ...patch });
  const setEscort = (i: number, patch: Partial<JourneyDraft['escorts'][number]>) =>
    set({ escorts: draft.escorts.map((e, j) => (j === i ? { ...e, ...patch } : e)) });
  return (
    <>
      <SelectField
        name="destinationCode"
        label={t('batch.destination')}
        hint={t('batch.destinationHint')}
        required
        emptyLabel="—"
        options={destinations}
        value={draft.destinationCode}
        onChange={(e) => set({ destinationCode: e.target.value })}
        error={errors.destinationCode}
      />
      <TextField
        name="travelDate"
        type="date"
        label={t('batch.travelDate')}
        required
        value={draft.travelDate}
        onChange={(e) => set({ travelDate: e.target.value })}
        error={errors.travelDate}
      />
      <SelectField
        name="transport"
        label={t('batch.transport')}
        required
        options={TRANSPORTS.map((x) => ({ value: x, label: t(`batch.transport.${x}`) }))}
        value={draft.transport}
        onChange={(e) => set({ transport: e.target.value as Transport })}
        error={errors.transport}
      />
      <fieldset
        className={`field${errors.groupLeader ? ' field-invalid' : ''}`}
        id="field-groupLeader"
        aria-describedby={errors.groupLeader ? 'field-groupLeader-error' : undefined}
      >
        <legend>
          {t('batch.leader')}
          <span className="muted"> {t('common.optional')}</span>
        </legend>
        {errors.groupLeader && (
          <p className="field-error" id="field-groupLeader-error">
            <span aria-hidden="true">✗ </span>
            {errors.groupLeader}
          </p>
        )}
        <TextField
          name="leaderName"
          label={t('batch.personName')}
          autoComplete="off"
          value={draft.leaderName}
          onChange={(e) => set({ leaderName: e.target.value })}
        />
        <TextField
          name="leaderPhone"
          type="tel"
          label={t('batch.personPhone')}
          autoComplete="off"
          value={draft.leaderPhone}
          onChange={(e) => set({ leaderPhone: e.target.value })}
        />
      </fieldset>
      <fieldset
        className={`field${errors.escorts ? ' field-invalid' : ''}`}
        id="field-escorts"
        aria-describedby={errors.escorts ? 'field-escorts-error' : undefined}
      >
        <legend>
          {t('batch.escorts')}
          <span className="muted"> {t('common.optional')}</span>
        </legend>
        {errors.escorts && (
          <p className="field-error" id="field-escorts-error">
            <span aria-hidden="true">✗ </span>
            {errors.escorts}
          </p>
        )}
        {draft.escorts.map((e, i) => (
          // Rows have no identity of their own; the index is what the API's issue paths name too.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <div key={i} className="escort-row">
            <TextField
              name={`escort-${i}-name`}
              label={t('batch.escortName', { n: i + 1 })}
              autoComplete="off"
              value={e.name}
              onChange={(ev) => setEscort(i, { name: ev.target.value })}
            />
            <TextField
              name={`escort-${i}-phone`}
              type="tel"
              label={t('batch.escortPhone', { n: i + 1 })}
              autoComplete="off"
              value={e.phone}
              onChange={(ev) => setEscort(i, { phone: ev.target.value })}
            />
            <button
              type="button"
              className="secondary"
              onClick={() => set({ escorts: draft.escorts.filter((_, j) => j !== i) })}
            >
              {t('batch.removeEscort', { n: i + 1 })}
            </button>
          </div>
        ))}
        {draft.escorts.length < MAX_ESCORTS && (
          <button
            type="button"
            className="secondary"
            onClick={() => set({ escorts: [...draft.escorts, { name: '', phone: '' }] })}
          >
            {t('batch.addEscort')}
          </button>
        )}
      </fieldset>
      <div className={`field${errors.note ? ' field-invalid' : ''}`}>
        <label htmlFor="field-note">
          {t('batch.note')}
          <span className="muted"> {t('common.optional')}</span>
        </label>
        {errors.note && (
          <p className="field-error" id="field-note-error">
            <span aria-hidden="true">✗ </span>
            {errors.note}
          </p>
        )}
        <textarea
          id="field-note"
          rows={3}
          maxLength={1000}
          value={draft.note}
          aria-describedby={errors.note ? 'field-note-error' : undefined}
          onChange={(e) => set({ note: e.target.value })}
        />
      </div>
    </>
  );
}
