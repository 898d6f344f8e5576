import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, fetchData } from '../../api/client.js';
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
import { useLoad } from '../../hooks.js';
import { type MessageKey, type T, useI18n } from '../../i18n.js';
import { Link, navigate, useLocation, withQuery } from '../../router.js';

/** One task of GET /follow-ups (the response schema is inline, so it has no component name). */
interface FollowUpTask {
  placementId: string;
  profileId: string;
  openingTitle: string | null;
  checkpoint: string;
  dueOn: string;
  state: 'upcoming' | 'due' | 'overdue' | 'done';
}
const RISKS = [
  'wage_arrears',
  'accommodation_missing',
  'dormitory_problem',
  'health',
  'conflict_at_work',
  'homesick',
  'wants_to_leave',
  'safety',
] as const;
type Tri = '' | 'true' | 'false';
const STATE_SYMBOL: Record<FollowUpTask['state'], string> = {
  upcoming: '·',
  due: '●',
  overdue: '⚠',
  done: '✓',
};

/** `d30` → "上岗后第 30 天", `m6` → "上岗后第 6 个月". */
export function checkpointName(t: T, code: string): string {
  const m = /^([dm])(\d+)$/.exec(code);
  if (!m) return code;
  return t('followUps.checkpointName', { n: m[2]!, unit: t(`followUps.unit.${m[1]}` as MessageKey) });
}

/** Federation staff: follow-up visits due (and overdue) by a day, each with a form to record it. */
export function FollowUpsPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const due = query.get('due') ?? '';
  const tasks = useLoad(
    () => fetchData(api.GET('/api/v1/follow-ups', { params: { query: due ? { due } : {} } })),
    [due],
  );
  const [dueInput, setDueInput] = useState(due);
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const items = (tasks.data?.items ?? []) as FollowUpTask[];
  const key = (x: FollowUpTask) => `${x.placementId}/${x.checkpoint}`;
  const selected = items.find((x) => key(x) === open);
  return (
    <>
      <PageHeading title={t('followUps.title')}>{t('followUps.title')}</PageHeading>
      <p className="muted">{t('followUps.intro')}</p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(withQuery('/follow-ups', { due: dueInput }), { focus: false });
        }}
      >
        <TextField
          name="due"
          type="date"
          label={t('followUps.dueBy')}
          value={dueInput || tasks.data?.due || ''}
          onChange={(e) => setDueInput(e.target.value)}
        />
        <div className="button-row">
          <button type="submit">{t('common.searchAction')}</button>
        </div>
      </form>
      <StatusMessage>{message}</StatusMessage>
      <ProblemSummary problem={tasks.problem} />
      {tasks.loading && !tasks.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('followUps.none')}</p>
      ) : (
        <TableWrap label={t('followUps.table')}>
          <table>
            <caption>{t('followUps.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('match.opening')}</th>
                <th scope="col">{t('followUps.checkpoint')}</th>
                <th scope="col">{t('followUps.dueOn')}</th>
                <th scope="col">{t('followUps.state')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => {
                const title = x.openingTitle ?? t('match.untitled');
                return (
                  <tr key={key(x)}>
                    <th scope="row">
                      <Link to={`/profiles/${x.profileId}`}>{title}</Link>
                    </th>
                    <td>{checkpointName(t, x.checkpoint)}</td>
                    <td className="nowrap">{x.dueOn}</td>
                    <td>
                      <span aria-hidden="true">{STATE_SYMBOL[x.state]} </span>
                      {t(`followUps.state.${x.state}`)}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        aria-expanded={open === key(x)}
                        aria-label={t('followUps.recordOf', {
                          title,
                          checkpoint: checkpointName(t, x.checkpoint),
                        })}
                        onClick={() => setOpen(open === key(x) ? null : key(x))}
                      >
                        {t('followUps.record')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      {selected && (
        <FollowUpForm
          key={key(selected)}
          task={selected}
          onDone={(text) => {
            setOpen(null);
            setMessage(text);
            tasks.reload();
          }}
        />
      )}
    </>
  );
}

function FollowUpForm({ task, onDone }: { task: FollowUpTask; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const title = task.openingTitle ?? t('match.untitled');
  const checkpoint = checkpointName(t, task.checkpoint);
  const [form, setForm] = useState({
    visitedOn: '',
    stillEmployed: 'true' as Tri,
    wagePaidOnTime: '' as Tri,
    accommodationWorking: '' as Tri,
    dormitory: '' as Tri,
    riskFlags: [] as string[],
    notes: '',
  });
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(problem);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const tri = (v: Tri) => (v === '' ? null : v === 'true');
  const triOptions = [
    { value: 'true', label: t('tri.yes') },
    { value: 'false', label: t('tri.no') },
  ];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      await fetchData(
        api.POST('/api/v1/placements/{id}/follow-ups/{checkpoint}', {
          params: { path: { id: task.placementId, checkpoint: task.checkpoint } },
          body: {
            ...(form.visitedOn ? { visitedOn: form.visitedOn } : {}),
            stillEmployed: form.stillEmployed !== 'false',
            wagePaidOnTime: tri(form.wagePaidOnTime),
            accommodationWorking: tri(form.accommodationWorking),
            dormitory: tri(form.dormitory),
            riskFlags: form.riskFlags as (typeof RISKS)[number][],
            ...(form.notes.trim() ? { notes: form.notes.trim() } : {}),
          },
        }),
      );
      onDone(t('followUps.recorded', { title, checkpoint }));
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="follow-up-form">
      <h2 id="follow-up-form" ref={heading} tabIndex={-1}>
        {t('followUps.recordOf', { title, checkpoint })}
      </h2>
      <ProblemSummary problem={problem} />
      <TextField
        name="visitedOn"
        type="date"
        label={t('followUps.visitedOn')}
        value={form.visitedOn}
        onChange={(e) => setForm({ ...form, visitedOn: e.target.value })}
        error={errors.visitedOn}
      />
      <SelectField
        name="stillEmployed"
        label={t('followUps.stillEmployed')}
        required
        options={triOptions}
        value={form.stillEmployed}
        onChange={(e) => setForm({ ...form, stillEmployed: e.target.value as Tri })}
        error={errors.stillEmployed}
      />
      {(['wagePaidOnTime', 'accommodationWorking', 'dormitory'] as const).map((f) => (
        <SelectField
          key={f}
          name={f}
          label={t(`followUps.${f}`)}
          emptyLabel={t('tri.unknown')}
          options={triOptions}
          value={form[f]}
          onChange={(e) => setForm({ ...form, [f]: e.target.value as Tri })}
          error={errors[f]}
        />
      ))}
      <fieldset className="field" id="field-riskFlags">
        <legend>{t('followUps.riskFlags')}</legend>
        {RISKS.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={form.riskFlags.includes(r)}
              onChange={(e) =>
                setForm({
                  ...form,
                  riskFlags: e.target.checked
                    ? [...form.riskFlags, r]
                    : form.riskFlags.filter((x) => x !== r),
                })
              }
            />
            {t(`risk.${r}`)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="field-notes">{t('followUps.notes')}</label>
        <textarea
          id="field-notes"
          rows={3}
          value={form.notes}
          onChange={(e) => setForm({ ...form, notes: e.target.value })}
        />
      </div>
      <button type="submit" disabled={busy}>
        {t('followUps.record')}
      </button>
    </form>
  );
}
