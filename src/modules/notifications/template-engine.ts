/**
 * A deliberately small template language for the notification files (reviewed like code):
 * `{{name}}` inserts a value, `{{#list}}…{{/list}}` repeats for each item of an array (or once
 * when the value is truthy), `{{^name}}…{{/name}}` renders when the value is empty or false.
 * Unknown names are errors, so a typo in a template fails its unit test instead of a send.
 */

export type TemplateValue = string | number | boolean | null | undefined | TemplateScope | TemplateScope[];
export interface TemplateScope {
  [name: string]: TemplateValue;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

export function parseTemplate(source: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const top = stack.at(-1)!;
    if (m.index > last) top.children.push({ kind: 'text', text: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, sigil, name] = m as unknown as [string, string, string];
    if (sigil === '#' || sigil === '^') {
      const section: Node = { kind: 'section', name, inverted: sigil === '^', children: [] };
      top.children.push(section);
      stack.push({ name, children: section.children });
    } else if (sigil === '/') {
      if (top.name !== name) throw new TemplateError(`{{/${name}}} closes ${top.name || 'nothing'}`);
      stack.pop();
    } else top.children.push({ kind: 'var', name });
  }
  if (stack.length > 1) throw new TemplateError(`{{#${stack.at(-1)!.name}}} is never closed`);
  if (last < source.length) stack[0]!.children.push({ kind: 'text', text: source.slice(last) });
  return root;
}

function lookup(scopes: TemplateScope[], name: string): TemplateValue {
  const [head, ...rest] = name.split('.');
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i]!;
    if (Object.hasOwn(scope, head!)) {
      let v: TemplateValue = scope[head!];
      for (const part of rest) {
        if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part))
          throw new TemplateError(`unknown name {{${name}}}`);
        v = (v as TemplateScope)[part];
      }
      return v;
    }
  }
  throw new TemplateError(`unknown name {{${name}}}`);
}

function renderNodes(nodes: Node[], scopes: TemplateScope[], escapeValue: (s: string) => string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'var') {
      const v = lookup(scopes, node.name);
      if (v !== null && v !== undefined && typeof v === 'object')
        throw new TemplateError(`{{${node.name}}} is a list or object; use a section`);
      out += v === null || v === undefined ? '' : escapeValue(String(v));
    } else {
      const v = lookup(scopes, node.name);
      const empty =
        v === null ||
        v === undefined ||
        v === false ||
        v === 0 ||
        v === '' ||
        (Array.isArray(v) && v.length === 0);
      if (node.inverted) {
        if (empty) out += renderNodes(node.children, scopes, escapeValue);
      } else if (!empty) {
        if (Array.isArray(v))
          for (const item of v) out += renderNodes(node.children, [...scopes, item], escapeValue);
        else if (typeof v === 'object')
          out += renderNodes(node.children, [...scopes, v as TemplateScope], escapeValue);
        else out += renderNodes(node.children, scopes, escapeValue);
      }
    }
  }
  return out;
}

export function renderTemplate(
  source: string | Node[],
  scope: TemplateScope,
  escapeValue: (s: string) => string = (s) => s,
): string {
  const nodes = typeof source === 'string' ? parseTemplate(source) : source;
  return renderNodes(nodes, [scope], escapeValue);
}

/** Markdown-significant characters in inserted values are escaped (labels come from users). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);
}

export interface ParsedMessage {
  /** The first line, `# title`. */
  title: Node[];
  body: Node[];
}

/** A template file: first line `# title` (the email subject), then the body in Markdown. */
export function parseMessageTemplate(source: string, file: string): ParsedMessage {
  const text = source.replace(/\r\n/g, '\n').trim();
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  if (!first.startsWith('# ')) throw new TemplateError(`${file}: the first line must be "# title"`);
  return {
    title: parseTemplate(first.slice(2).trim()),
    body: parseTemplate(nl < 0 ? '' : text.slice(nl + 1).trim()),
  };
}

/** Collapses the blank lines an empty section leaves behind. */
export function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
