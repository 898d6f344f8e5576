import { useEffect, useState } from 'react';
import { api, fetchData, type Schemas } from './api/client.js';
import type { Lang } from './i18n.js';

type Entry = Schemas['VocabularyEntry'];
type Mitigation = Schemas['Mitigation'];
export type VocabKind = Parameters<typeof loadVocab>[0];

const cache = new Map<string, Promise<Entry[]>>();

function loadVocab(
  kind:
    | 'disability_category'
    | 'disability_level'
    | 'limitation'
    | 'job_demand'
    | 'accommodation'
    | 'skill'
    | 'skill_level'
    | 'training_programme'
    | 'occupation_group'
    | 'education'
    | 'language'
    | 'assistive_device',
) {
  let p = cache.get(kind);
  if (!p) {
    p = fetchData(api.GET('/api/v1/reference/vocabularies/{kind}', { params: { path: { kind } } })).then(
      (r) => r.items,
    );
    p.catch(() => cache.delete(kind));
    cache.set(kind, p);
  }
  return p;
}

/**
 * A vocabulary, once per page load: the Chinese labels of coded things come from the reference
 * data (the same the API validates against), never from the console's own words.
 */
export function useVocab(kind: VocabKind): Entry[] | undefined {
  const [items, setItems] = useState<Entry[]>();
  useEffect(() => {
    let live = true;
    loadVocab(kind)
      .then((v) => {
        if (live) setItems(v);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [kind]);
  return items;
}

export function vocabLabel(items: Entry[] | undefined, code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  const e = items?.find((x) => x.code === code);
  if (!e) return code;
  return lang === 'en' ? e.en : e.zh;
}

export function vocabOptions(items: Entry[] | undefined, lang: Lang) {
  return (items ?? []).map((e) => ({ value: e.code, label: lang === 'en' ? e.en : e.zh }));
}

let mitigations: Promise<Mitigation[]> | undefined;

/** The limitation × demand → accommodations table (what explains demands and accommodations). */
export function useMitigations(): Mitigation[] | undefined {
  const [items, setItems] = useState<Mitigation[]>();
  useEffect(() => {
    mitigations ??= fetchData(api.GET('/api/v1/reference/mitigations')).then((r) => r.items);
    mitigations.then(setItems).catch(() => {
      mitigations = undefined;
    });
  }, []);
  return items;
}
