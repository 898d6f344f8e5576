import type { Config } from '../../config.js';
import type { Actor } from '../../lib/auth/actor.js';
import { createFieldCipher, type FieldCipher } from '../../lib/crypto/field-encryption.js';
import { AppError } from '../../lib/errors.js';
import type { Language } from '../accounts/language.js';
import { audit } from '../audit/audit.service.js';
import { findOrganizationById } from '../orgs/orgs.service.js';
import { webhookScope } from './notifications.policy.js';
import { newWebhookSecret } from './signing.js';
import { maskWebhookUrl, URL_PROBLEM_TEXT, type WebhookKind, webhookUrlProblem } from './webhook-url.js';
import {
  deleteWebhook as deleteWebhookRecord,
  findWebhookInScope,
  insertWebhook,
  listWebhooksOf,
  newObjectId,
  updateWebhookIfVersion,
  type WebhookRecord,
} from './webhooks.repository.js';

/** Organisation webhooks (and WeCom robots): managed by the organisation's admins, secrets encrypted. */

let cipherCache: { config: Config; cipher: FieldCipher } | undefined;

export function webhookCipher(config: Config): FieldCipher {
  if (cipherCache?.config !== config) cipherCache = { config, cipher: createFieldCipher(config.security) };
  return cipherCache.cipher;
}

export function presentWebhook(w: WebhookRecord) {
  return {
    id: w.id,
    organizationId: w.organizationId,
    kind: w.kind,
    name: w.name,
    url: w.urlMasked,
    events: w.events,
    language: w.language,
    enabled: w.enabled,
    version: w.version,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

const webhookNotFound = () =>
  new AppError('not_found', { detail: 'Webhook 不存在', detailEn: 'No such webhook' });

function assertUrl(config: Config, url: string, kind: WebhookKind): void {
  const problem = webhookUrlProblem(url, kind, { allowPrivate: config.notifications.allowPrivateWebhooks });
  if (problem)
    throw new AppError('validation_failed', {
      detail: `url：${URL_PROBLEM_TEXT[problem].zh}`,
      detailEn: `url: ${URL_PROBLEM_TEXT[problem].en}`,
      issues: [{ path: 'body.url', code: `webhook_url.${problem}`, message: URL_PROBLEM_TEXT[problem].en }],
    });
}

/** The organisation named in the path, if the actor may manage its webhooks (else 404). */
async function managedOrganization(actor: Actor, organizationId: string): Promise<string> {
  const scope = webhookScope(actor);
  const allowed = Object.keys(scope).length === 0 || actor.organizationId === organizationId;
  if (!allowed || !(await findOrganizationById(organizationId)))
    throw new AppError('not_found', { detail: '机构不存在', detailEn: 'No such organisation' });
  return organizationId;
}

export async function listOrganizationWebhooks(actor: Actor, organizationId: string) {
  await managedOrganization(actor, organizationId);
  return (await listWebhooksOf(organizationId)).map(presentWebhook);
}

export interface WebhookInput {
  kind: WebhookKind;
  name: string;
  url: string;
  events?: string[];
  language?: Language;
  enabled?: boolean;
}

export async function createWebhook(
  config: Config,
  actor: Actor,
  organizationId: string,
  input: WebhookInput,
) {
  await managedOrganization(actor, organizationId);
  assertUrl(config, input.url, input.kind);
  const id = newObjectId();
  const cipher = webhookCipher(config);
  const secret = input.kind === 'generic' ? newWebhookSecret() : null;
  const webhook = await insertWebhook({
    id,
    organizationId,
    kind: input.kind,
    name: input.name,
    urlEncrypted: cipher.encrypt(input.url, { field: 'url', recordId: id }),
    urlMasked: maskWebhookUrl(input.url),
    secretEncrypted: secret ? cipher.encrypt(secret, { field: 'secret', recordId: id }) : null,
    events: input.events ?? [],
    language: input.language ?? 'zh-CN',
    enabled: input.enabled ?? true,
  });
  await audit.record({
    action: 'webhook.create',
    resource: { type: 'webhook', id },
    fields: Object.keys(input),
  });
  // The secret is shown once, here; afterwards only rotation reveals a new one.
  return { ...presentWebhook(webhook), secret };
}

async function webhookInScope(actor: Actor, id: string): Promise<WebhookRecord> {
  const w = await findWebhookInScope(id, webhookScope(actor));
  if (!w) throw webhookNotFound();
  return w;
}

export async function getWebhook(actor: Actor, id: string) {
  return webhookInScope(actor, id);
}

export async function updateWebhook(
  config: Config,
  actor: Actor,
  id: string,
  version: number,
  input: Partial<Omit<WebhookInput, 'kind'>>,
) {
  const current = await webhookInScope(actor, id);
  const set: Parameters<typeof updateWebhookIfVersion>[2] = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.events !== undefined) set.events = input.events;
  if (input.language !== undefined) set.language = input.language;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  if (input.url !== undefined) {
    assertUrl(config, input.url, current.kind);
    set.urlEncrypted = webhookCipher(config).encrypt(input.url, { field: 'url', recordId: id });
    set.urlMasked = maskWebhookUrl(input.url);
  }
  const updated = await updateWebhookIfVersion(id, version, set);
  if (!updated) throw new AppError('precondition_failed', { extra: { currentVersion: current.version } });
  await audit.record({
    action: 'webhook.update',
    resource: { type: 'webhook', id },
    fields: Object.keys(input),
  });
  return updated;
}

export async function rotateWebhookSecret(config: Config, actor: Actor, id: string) {
  const current = await webhookInScope(actor, id);
  if (current.kind !== 'generic')
    throw new AppError('conflict', {
      detail: '企业微信群机器人没有签名密钥',
      detailEn: 'WeCom group robots have no signing secret',
    });
  const secret = newWebhookSecret();
  const updated = await updateWebhookIfVersion(id, current.version, {
    secretEncrypted: webhookCipher(config).encrypt(secret, { field: 'secret', recordId: id }),
  });
  if (!updated) throw new AppError('conflict');
  await audit.record({
    action: 'webhook.rotate_secret',
    resource: { type: 'webhook', id },
    fields: ['secret'],
  });
  return { ...presentWebhook(updated), secret };
}

export async function removeWebhook(actor: Actor, id: string): Promise<void> {
  await webhookInScope(actor, id);
  await deleteWebhookRecord(id);
  await audit.record({ action: 'webhook.delete', resource: { type: 'webhook', id } });
}
