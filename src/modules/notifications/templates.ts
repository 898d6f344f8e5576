import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHINA_TIME_ZONE } from '../../lib/china-time.js';
import type { Language } from '../accounts/language.js';
import { EVENT_TYPES, EVENTS, type EventSpec, type EventType } from './events.js';
import {
  escapeMarkdown,
  type ParsedMessage,
  parseMessageTemplate,
  renderTemplate,
  TemplateError,
  type TemplateScope,
  tidy,
} from './template-engine.js';

export const TEMPLATE_LANGUAGES = ['zh-CN', 'en'] as const satisfies readonly Language[];

/**
 * Templates are files beside this module (`templates/<event>.<lang>.md`), reviewed like code. The
 * compiled build reads them from the same place (the Dockerfile copies the folder next to the
 * compiled module); from a checkout `src/` is used.
 */
export function templateDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const places = [
    path.join(here, 'templates'),
    path.resolve(here, '../../../../src/modules/notifications/templates'),
  ];
  return places.find((d) => existsSync(d)) ?? places[0]!;
}

let cache: Map<string, ParsedMessage> | undefined;

/** Loads and parses every template; throws naming each missing or broken file. */
export function loadTemplates(dir = templateDir()): Map<string, ParsedMessage> {
  const out = new Map<string, ParsedMessage>();
  const problems: string[] = [];
  const files = new Set(readdirSync(dir));
  for (const type of EVENT_TYPES)
    for (const lang of TEMPLATE_LANGUAGES) {
      const file = `${type}.${lang}.md`;
      if (!files.has(file)) {
        problems.push(`missing ${file}`);
        continue;
      }
      try {
        out.set(`${type}.${lang}`, parseMessageTemplate(readFileSync(path.join(dir, file), 'utf8'), file));
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  if (problems.length) throw new TemplateError(`notification templates:\n  - ${problems.join('\n  - ')}`);
  return out;
}

function templates(): Map<string, ParsedMessage> {
  cache ??= loadTemplates();
  return cache;
}

/** Labels for ids (e.g. an opening's title), filled in by the module that owns them. */
export type LabelResolver = (ids: string[], lang: Language) => Promise<Map<string, string>>;

const resolvers = new Map<string, LabelResolver>();

/**
 * Lets a module name its records in notification texts: `setLabelResolver('opening', …)` makes
 * `{{opening}}` the opening's title instead of its short id. Labels must never be personal data.
 */
export function setLabelResolver(kind: 'opening', resolver: LabelResolver | undefined): void {
  if (resolver) resolvers.set(kind, resolver);
  else resolvers.delete(kind);
}

const shortId = (id: string) => `#${id.slice(-6)}`;

async function labelsFor(kind: string, ids: string[], lang: Language): Promise<Map<string, string>> {
  const resolver = resolvers.get(kind);
  const found = resolver && ids.length ? await resolver(ids, lang) : new Map<string, string>();
  return new Map(ids.map((id) => [id, found.get(id) ?? shortId(id)]));
}

const DATE_FIELDS = new Set(['at', 'oldestWaitingSince']);

function formatDateTime(iso: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: CHINA_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export interface RenderInput {
  type: EventType;
  data: Record<string, unknown>;
  lang: Language;
  publicUrl: string;
}

/** The variables a template sees: the data, labels for referenced ids, formatted dates, the link. */
export async function templateScope(input: RenderInput): Promise<TemplateScope> {
  const { data, lang } = input;
  const openingIds = new Set<string>();
  if (typeof data.openingId === 'string') openingIds.add(data.openingId);
  const openings = Array.isArray(data.openings)
    ? (data.openings as { openingId: string; count: number }[])
    : [];
  for (const o of openings) openingIds.add(o.openingId);
  const labels = await labelsFor('opening', [...openingIds], lang);

  const scope: TemplateScope = {};
  // Optional fields the event did not carry are present as null, so `{{#reasonCode}}` works.
  const spec = EVENTS[input.type] as EventSpec;
  for (const schema of [spec.data, spec.collapse?.summary])
    if (schema && 'shape' in schema) for (const k of Object.keys(schema.shape as object)) scope[k] = null;
  for (const [k, v] of Object.entries(data)) {
    if (k === 'openings') continue;
    if (DATE_FIELDS.has(k) && typeof v === 'string') scope[k] = formatDateTime(v, lang);
    else scope[k] = v as TemplateScope[string];
  }
  if (typeof data.openingId === 'string') scope.opening = labels.get(data.openingId)!;
  if (Array.isArray(data.openings))
    scope.openings = openings.map((o) => ({ ...o, opening: labels.get(o.openingId)! }));
  scope.link = `${input.publicUrl.replace(/\/$/, '')}${spec.link(data)}`;
  scope.appName = lang === 'en' ? 'Tongxin' : '同心';
  return scope;
}

export type RenderFormat = 'markdown' | 'text' | 'wecom';

/** WeCom's markdown has no escapes: markup characters in inserted values become full-width. */
function escapeWecom(s: string): string {
  return s.replace(/[<>[\]*`#]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

const ESCAPES: Record<RenderFormat, (s: string) => string> = {
  markdown: escapeMarkdown,
  text: (s) => s,
  wecom: escapeWecom,
};

export interface RenderedMessage {
  title: string;
  body: string;
}

/** Renders one event in one language for one format. Throws TemplateError on a template bug. */
export async function renderMessage(input: RenderInput, format: RenderFormat): Promise<RenderedMessage> {
  const template = templates().get(`${input.type}.${input.lang}`);
  if (!template) throw new TemplateError(`no template for ${input.type}.${input.lang}`);
  const scope = await templateScope(input);
  const escapeValue = ESCAPES[format];
  return {
    // Titles are plain text everywhere (email subject, inbox heading).
    title: tidy(renderTemplate(template.title, scope)),
    body: tidy(renderTemplate(template.body, scope, escapeValue)),
  };
}
