import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { problemSchema } from '../errors.js';
import { type RouteDef, toOpenApiPath } from './route.js';

const problem = problemSchema.openapi('Problem');

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});

/**
 * OpenAPI 3.1 generated from the same zod schemas that validate requests (DESIGN §7.2), so the
 * document cannot drift from the code. Error responses every route can give are added here once.
 */
export function buildOpenApiDocument(routes: RouteDef[], version: string): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', {
    type: 'http',
    scheme: 'bearer',
    description: 'Opaque session token from POST /api/v1/auth/login',
  });
  for (const route of routes) {
    if (route.hidden) continue;
    const isPublic = 'public' in route.access;
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      responses[status] = {
        description: spec.description,
        // OpenAPI requires a schema (or content) on every header object.
        ...(spec.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(spec.headers).map(([k, h]) => [k, { schema: { type: 'string' }, ...h }]),
              ),
            }
          : {}),
        ...(spec.schema
          ? { content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } }
          : {}),
      };
    }
    const hasInput =
      route.request?.params || route.request?.query || route.request?.body || route.request?.upload;
    if (hasInput) responses['400'] ??= problemResponse('Invalid request');
    // Node.js itself answers 431 (empty body) when the request line and headers pass its 16 KB
    // limit, before the app sees the request; long query strings are how a client gets there.
    if (route.request?.query)
      responses['431'] ??= { description: 'Request line and headers over 16 KB (no body)' };
    if (!isPublic) {
      responses['401'] ??= problemResponse('No valid session');
      responses['403'] ??= problemResponse('Role not allowed');
    }
    if (route.path.includes(':')) responses['404'] ??= problemResponse('Not found or not in your scope');
    responses['429'] ??= problemResponse('Rate limited');
    responses['500'] ??= problemResponse('Unexpected error');
    responses['503'] ??= problemResponse('A backing service is unavailable');

    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      operationId: route.operationId,
      summary: route.summary,
      tags: route.tags,
      ...(isPublic ? { security: [] } : { security: [{ session: [] }] }),
      request: {
        ...(route.request?.params ? { params: route.request.params } : {}),
        ...(route.request?.query ? { query: route.request.query } : {}),
        ...(route.request?.body
          ? {
              body: {
                required: true,
                content: {
                  [route.request.bodyContentType ?? 'application/json']: { schema: route.request.body },
                },
              },
            }
          : {}),
        ...(route.request?.upload
          ? {
              body: {
                required: true,
                description: route.request.upload.description,
                content: Object.fromEntries(
                  route.request.upload.contentTypes.map((t) => [
                    t,
                    { schema: { type: 'string', format: 'binary' } },
                  ]),
                ),
              },
            }
          : {}),
      },
      // biome-ignore lint/suspicious/noExplicitAny: the library's ResponseConfig type is narrower than the JSON it accepts
      responses: responses as any,
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tongxin (同心) API',
      version,
      description:
        'Job matching for disabled job seekers in East–West labour-transfer cooperation. ' +
        'Errors are RFC 9457 problem+json documents with a stable `code`.',
    },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
}

/**
 * A self-contained documentation page (no CDN: this service may run without internet access).
 * The script is served separately so the page works under helmet's default CSP.
 */
export function docsPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>同心 Tongxin API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
code{background:#f3f3f3;padding:0 .25em}section{border-top:1px solid #ccc;padding:.5rem 0}
.m{display:inline-block;min-width:4.5em;font-weight:700}
pre{background:#f7f7f7;padding:.5rem;overflow:auto;font-size:13px}</style></head>
<body><main><h1>同心 Tongxin API</h1><p>OpenAPI 3.1: <a href="/openapi.json">/openapi.json</a></p>
<div id="ops" aria-live="polite">加载中…</div></main>
<script type="module" src="/docs/app.js"></script></body></html>`;
}

export function docsScript(): string {
  return `const doc = await (await fetch('/openapi.json')).json();
const root = document.getElementById('ops');
root.textContent = '';
for (const [path, ops] of Object.entries(doc.paths ?? {})) {
  for (const [method, op] of Object.entries(ops)) {
    const section = document.createElement('section');
    const h = document.createElement('h2');
    const m = document.createElement('span');
    m.className = 'm';
    m.textContent = method.toUpperCase();
    const code = document.createElement('code');
    code.textContent = path;
    h.append(m, ' ', code);
    const summary = document.createElement('p');
    summary.textContent = op.summary ?? '';
    const statuses = document.createElement('p');
    statuses.textContent = 'Responses: ' + Object.keys(op.responses ?? {}).join(', ');
    const details = document.createElement('details');
    const s = document.createElement('summary');
    s.textContent = 'Schema';
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(op, null, 2);
    details.append(s, pre);
    section.append(h, summary, statuses, details);
    root.append(section);
  }
}
`;
}
