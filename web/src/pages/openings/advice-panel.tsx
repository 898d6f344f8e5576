import { useEffect, useRef, useState } from 'react';
import { api, call, type Schemas } from '../../api/client.js';
import { useI18n } from '../../i18n.js';

type Body = Omit<Schemas['OpeningCreate'], 'employerId'>;
type Advice = Schemas['OpeningAdvice'];
type Count = Schemas['MaskedCount'];

/** Waits this long after the last change before asking: one request per pause in typing/ticking. */
const DEBOUNCE_MS = 500;

/**
 * "提供这些便利，可多匹配 N 人": the accommodation advice for the opening as it is being edited,
 * asked of POST /openings/advice (nothing is saved) a moment after each change. Everything is
 * text: the count in a polite live region (announced once per answer), the changes as a list.
 */
export function AdvicePanel({ body, ready }: { body: Body; ready: boolean }) {
  const { t, lang } = useI18n();
  const [advice, setAdvice] = useState<Advice | null>(null);
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const asked = useRef(0);
  const key = JSON.stringify(body);

  useEffect(() => {
    if (!ready) return;
    const timer = setTimeout(() => {
      const n = ++asked.current;
      setState('busy');
      call(api.POST('/api/v1/openings/advice', { body: JSON.parse(key) as Body }))
        .then(({ data }) => {
          // An answer to an older draft is dropped: only the latest question counts.
          if (n !== asked.current) return;
          setAdvice(data);
          setState('idle');
        })
        .catch(() => {
          if (n === asked.current) setState('failed');
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, ready]);

  const text = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  const count = (c: Count) => (c.count === null ? t('advice.fewer') : t('advice.people', { n: c.count }));
  const items = advice?.items.filter((i) => i.gained.count !== 0) ?? [];

  return (
    <section className="advice-panel" aria-labelledby="advice-heading">
      <h2 id="advice-heading">{t('advice.heading')}</h2>
      <div aria-live="polite" aria-atomic="true">
        {!ready ? (
          <p className="hint">{t('advice.needs')}</p>
        ) : state === 'failed' ? (
          <p className="hint">{t('advice.failed')}</p>
        ) : advice ? (
          <>
            <p>
              <strong>{text(advice.summary)}</strong>
            </p>
            <p className="hint">{t('advice.current', { n: count(advice.current.eligible) })}</p>
          </>
        ) : null}
      </div>
      {state === 'busy' && <p className="hint">{t('advice.updating')}</p>}
      {ready && advice && state !== 'failed' && (
        <>
          <h3>{t('advice.single')}</h3>
          {items.length === 0 ? (
            <p>{t('advice.none')}</p>
          ) : (
            <ol>
              {items.slice(0, 10).map((i) => (
                <li key={`${i.kind}:${i.code}`}>{text(i.text)}</li>
              ))}
            </ol>
          )}
          {advice.bundles.length > 0 && (
            <>
              <h3>{t('advice.bundles')}</h3>
              <ul>
                {advice.bundles.map((b) => (
                  <li key={b.changes.map((c) => c.code).join('+')}>{text(b.text)}</li>
                ))}
              </ul>
            </>
          )}
          <p className="hint">{t('advice.note')}</p>
        </>
      )}
    </section>
  );
}
