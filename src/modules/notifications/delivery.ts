import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { ProcessorResult } from '../../jobs/processor.js';
import { claimAll, claimHeldSince, claimOrTakeOver, release } from '../../lib/claims.js';
import { findUserById } from '../accounts/accounts.service.js';
import { getProfileOfPerson } from '../worker-profiles/worker-profiles.service.js';
import { batched } from './batching.js';
import {
  type DeliveryChannel,
  type DeliveryRecord,
  findDeliveries,
  findDelivery,
  updateDeliveries,
  updateDelivery,
} from './deliveries.repository.js';
import type { EventType } from './events.js';
import { deliveryJobId, languageOf, type NotifyContext } from './notifications.service.js';
import { findPreferences, type PreferenceRecord } from './preferences.repository.js';
import { DELIVERY_HEADER, EVENT_HEADER, signatureHeaders } from './signing.js';
import { openSmsVariables, phoneKey } from './sms.js';
import { providerTemplateId, SMS_TEMPLATE_KEYS, type SmsTemplate } from './sms-templates.js';
import { sendTencentSms } from './sms-tencent.js';
import { TemplateError } from './template-engine.js';
import { type RenderedMessage, renderMessage } from './templates.js';
import { classifyHttpStatus, classifySmtpError, postJson, SendError, smtpTransport } from './transports.js';
import { scrubError, urlHost } from './webhook-url.js';
import { findWebhook } from './webhooks.repository.js';
import { webhookCipher } from './webhooks.service.js';
import {
  parseWecomReply,
  WECOM_PERMANENT_ERRORS,
  WECOM_RATE_LIMITED,
  wecomMarkdownMessage,
} from './wecom.js';

/**
 * Exactly-once effect per (delivery, generation), as far as each channel allows.
 *
 * Before sending, the job inserts the claim `send/<delivery>/<generation>` (an atomic insert, see
 * src/lib/claims.ts); after the channel accepted the message it records the delivery as `sent`.
 * A job that runs again — a retry, a duplicate, a job recovered after its worker was killed —
 * finds `sent` and does nothing, or finds the claim:
 * - held recently (younger than the send timeout + 5 s): another attempt may still be sending, so
 *   this job waits (moved to delayed; not an attempt);
 * - left behind by an attempt that died between claiming and recording (the process was killed):
 *   whether the message arrived is unknown. Then each channel decides:
 *   - email, generic webhook — AT LEAST ONCE: send again, counting `interruptedSends`. The repeat
 *     carries the same identity (email `Message-ID: <notification-<id>@…>`, webhook
 *     `X-Tongxin-Delivery: <id>`), so a receiver or mailbox that deduplicates on it shows one.
 *     Losing a match proposal or a follow-up reminder costs more than a duplicate email.
 *   - WeCom group robot — AT MOST ONCE: robots cannot deduplicate and a repeated message lands in
 *     a group chat in front of everyone; every event is also in the recipients' inbox. The
 *     delivery becomes `failed` with `outcome_unknown`, visible to admins, who may retry it.
 *   - SMS — AT MOST ONCE: the provider cannot deduplicate either, a repeated text costs the person
 *     a confusing second message (and the federation a fee); a failed delivery is visible to
 *     admins, who may retry it.
 * A failed send releases its claim (nothing was accepted), except an ambiguous WeCom failure
 * (timeout after the request went out), which is treated like the crash above.
 */
export const CHANNEL_SEMANTICS: Record<DeliveryChannel, 'at_least_once' | 'at_most_once'> = {
  email: 'at_least_once',
  webhook: 'at_least_once',
  wecom: 'at_most_once',
  sms: 'at_most_once',
};

const OUTCOME_UNKNOWN =
  'outcome_unknown: an attempt was interrupted after it may have sent the message; retry manually if it did not arrive';

export function sendClaimKey(d: Pick<DeliveryRecord, 'id' | 'generation'>): string {
  return `send/${d.id}/${d.generation}`;
}

function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

async function delayUntil(job: Job, token: string | undefined, at: number): Promise<never> {
  await job.moveToDelayed(at, token);
  throw new DelayedError();
}

function mailDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'tongxin.local';
}

/** Markdown links read better as "text: url" in a plain-text email. */
function markdownToText(s: string): string {
  return s.replace(/\[([^\]]+)\]\((\S+?)\)/g, '$1: $2').replace(/\\([\\`*_{}[\]()<>#+!|~])/g, '$1');
}

/**
 * Recipients (account state, language, address) cached per worker for a few seconds: a burst of
 * emails to the same reviewers reads them once. A change takes effect within RECIPIENT_TTL_MS.
 */
const RECIPIENT_TTL_MS = 10_000;
const recipients = new Map<
  string,
  { at: number; value: Promise<{ user: Awaited<ReturnType<typeof findUserById>>; pref: PreferenceRecord }> }
>();

function recipient(userId: string) {
  const now = Date.now();
  const hit = recipients.get(userId);
  if (hit && now - hit.at < RECIPIENT_TTL_MS) return hit.value;
  if (recipients.size > 10_000) recipients.clear();
  const value = Promise.all([findUserById(userId), findPreferences([userId])]).then(([user, prefs]) => ({
    user,
    pref: prefs.get(userId)!,
  }));
  value.catch(() => recipients.delete(userId));
  recipients.set(userId, { at: now, value });
  return value;
}

/**
 * The reads and writes every delivery job makes, batched across the jobs running at the same time
 * (see batching.ts): the first read, the send claim, and the record of the outcome. Each is still
 * one atomic document operation; only the round trips are shared.
 */
const readDelivery = batched(findDeliveries);
const claimSend = batched(claimAll);
const recordOutcome = batched(updateDeliveries);

type Prepared =
  | { skip: string }
  | {
      send: () => Promise<void>;
      describe: Record<string, unknown>;
      /** SMS: the per-number window; a moment to wait until when it is full. */
      window?: () => Promise<number | undefined>;
    };

/**
 * At most SMS_PER_NUMBER_PER_HOUR messages per phone number per clock hour, counted in Redis under
 * a keyed hash of the number. `take` counts this attempt (or says until when to wait); `giveBack`
 * uncounts an attempt that surely sent nothing, so a provider outage does not use up the hour.
 */
function numberWindow(ctx: NotifyContext, phone: string) {
  const redis = ctx.redis;
  let taken: string | undefined;
  return {
    async take(): Promise<number | undefined> {
      if (!redis) return undefined;
      const hour = Math.floor(Date.now() / 3_600_000);
      const key = `${ctx.config.redis.queuePrefix}:notify:sms-rate:${phoneKey(ctx.config, phone)}:${hour}`;
      const n = await redis.incr(key);
      if (n === 1) await redis.expire(key, 7_200);
      if (n <= ctx.config.sms.perNumberPerHour) {
        taken = key;
        return undefined;
      }
      await redis.decr(key);
      return (hour + 1) * 3_600_000 + 50;
    },
    async giveBack(): Promise<void> {
      if (redis && taken) await redis.decr(taken);
      taken = undefined;
    },
  };
}

async function prepareSms(ctx: NotifyContext, d: DeliveryRecord): Promise<Prepared> {
  const { config } = ctx;
  if (config.sms.provider === 'off') return { skip: 'sms_off' };
  const template = (d.data as { template?: string }).template as SmsTemplate;
  if (!SMS_TEMPLATE_KEYS.includes(template)) throw new TemplateError(`unknown SMS template ${template}`);
  const profile = d.profileId ? await getProfileOfPerson({ config }, d.profileId) : null;
  if (!profile) return { skip: 'person_gone' };
  const phone = profile.identity.phone;
  if (!phone) return { skip: 'no_phone' };
  const variables = openSmsVariables(config, d.id, (d.data as { vars: string }).vars);
  const templateId = providerTemplateId(config, template);
  const window = numberWindow(ctx, phone);
  return {
    describe: { channel: 'sms', template },
    window: window.take,
    send: async () => {
      try {
        await sendTencentSms(config, { phone, templateId, variables, sessionContext: d.id });
      } catch (err) {
        if (err instanceof SendError && !err.opts.ambiguous) await window.giveBack();
        throw err;
      }
    },
  };
}

async function prepare(ctx: NotifyContext, d: DeliveryRecord): Promise<Prepared> {
  const { config } = ctx;
  const publicUrl = config.http.publicUrl;
  const timeoutMs = config.notifications.sendTimeoutMs;
  if (d.channel === 'sms') return prepareSms(ctx, d);
  if (d.channel === 'email') {
    if (!d.userId) return { skip: 'user_gone' };
    const { user, pref } = await recipient(d.userId);
    if (!user || user.disabled) return { skip: 'user_gone' };
    if (!pref.email) return { skip: 'no_address' };
    const message = await renderMessage(
      { type: d.type as EventType, data: d.data, lang: languageOf(user, pref), publicUrl },
      'text',
    );
    const to = pref.email;
    return {
      describe: { channel: 'email' },
      send: async () => {
        try {
          await smtpTransport(config).sendMail({
            from: config.smtp.from,
            to,
            subject: message.title,
            text: markdownToText(message.body),
            messageId: `<notification-${d.id}@${mailDomain(config.smtp.from)}>`,
            headers: {
              'X-Tongxin-Delivery': d.id,
              'X-Tongxin-Event': d.type,
              'Auto-Submitted': 'auto-generated',
            },
          });
        } catch (err) {
          throw classifySmtpError(err);
        }
      },
    };
  }

  const webhook = d.webhookId ? await findWebhook(d.webhookId) : null;
  if (!webhook?.enabled) return { skip: 'webhook_gone' };
  const cipher = webhookCipher(config);
  const url = cipher.decrypt(webhook.urlEncrypted, { field: 'url', recordId: webhook.id });
  const lang = webhook.language;
  const allowPrivate = config.notifications.allowPrivateWebhooks;
  const describe = { channel: d.channel, webhookId: webhook.id, host: urlHost(url) };

  if (d.channel === 'wecom') {
    const message: RenderedMessage = await renderMessage(
      { type: d.type as EventType, data: d.data, lang, publicUrl },
      'wecom',
    );
    const body = JSON.stringify(wecomMarkdownMessage(message));
    return {
      describe,
      send: async () => {
        const reply = await postJson(
          url,
          body,
          { 'user-agent': 'Tongxin-Notifications/1' },
          { timeoutMs, allowPrivate },
        );
        const statusProblem = classifyHttpStatus(reply.status);
        if (statusProblem) throw statusProblem;
        const parsed = parseWecomReply(reply.body);
        if (!parsed) throw new SendError('wecom: the reply is not {errcode}');
        if (parsed.errcode === 0) return;
        if (parsed.errcode === WECOM_RATE_LIMITED)
          throw new SendError(`wecom errcode ${parsed.errcode}`, { retryAfterMs: 60_000 });
        throw new SendError(`wecom errcode ${parsed.errcode}`, {
          permanent: WECOM_PERMANENT_ERRORS.has(parsed.errcode),
        });
      },
    };
  }

  const secret = webhook.secretEncrypted
    ? cipher.decrypt(webhook.secretEncrypted, { field: 'secret', recordId: webhook.id })
    : '';
  const message = await renderMessage({ type: d.type as EventType, data: d.data, lang, publicUrl }, 'text');
  const payload = {
    id: d.id,
    event: d.type,
    occurredAt: d.createdAt.toISOString(),
    organizationId: d.organizationId,
    language: lang,
    title: message.title,
    text: markdownToText(message.body),
    data: d.data,
  };
  return {
    describe,
    send: async () => {
      // Signed per attempt: the timestamp is the moment of sending, so a retry after an outage is
      // not refused as a replay by receivers checking the 5-minute window.
      const body = JSON.stringify(payload);
      const reply = await postJson(
        url,
        body,
        {
          'user-agent': 'Tongxin-Webhooks/1',
          [EVENT_HEADER]: d.type,
          [DELIVERY_HEADER]: d.id,
          ...signatureHeaders(secret, body),
        },
        { timeoutMs, allowPrivate },
      );
      const problem = classifyHttpStatus(reply.status);
      if (problem) throw problem;
    },
  };
}

/** WeCom allows each robot NOTIFY_WECOM_PER_MINUTE messages a minute: count in Redis, wait when full. */
async function robotWindow(ctx: NotifyContext, webhookId: string): Promise<number | undefined> {
  const redis = ctx.redis;
  if (!redis) return undefined;
  const minute = Math.floor(Date.now() / 60_000);
  const key = `${ctx.config.redis.queuePrefix}:notify:wecom-rate:${webhookId}:${minute}`;
  const n = await redis.incr(key);
  if (n === 1) await redis.expire(key, 120);
  return n > ctx.config.notifications.wecomPerMinute ? (minute + 1) * 60_000 + 50 : undefined;
}

/**
 * The processor of `notify.email`, `notify.webhook` and `notify.wecom`: reads the delivery,
 * renders at send time, sends once (see the protocol above), records the outcome.
 */
export async function processDelivery(
  ctx: NotifyContext,
  deliveryId: string,
  job: Job,
  token?: string,
): Promise<ProcessorResult> {
  const d = await readDelivery(deliveryId);
  if (!d) return { skipped: 'gone' };
  if (d.state !== 'pending') return { skipped: d.state };
  // A job of an earlier generation (superseded by a manual retry) does nothing.
  if (job.id && job.id !== deliveryJobId(d)) return { skipped: 'superseded' };

  if (d.channel === 'wecom' && d.webhookId) {
    const waitUntil = await robotWindow(ctx, d.webhookId);
    if (waitUntil) await delayUntil(job, token, waitUntil);
  }

  // Reading and rendering come before the claim: they have no effect outside, so a worker that
  // dies while doing them leaves nothing ambiguous behind.
  let prepared: Prepared;
  try {
    prepared = await prepare(ctx, d);
  } catch (err) {
    // A template bug will not fix itself by retrying; other errors (a database hiccup) are retried,
    // and after the last attempt the delivery is failed visibly instead of left pending.
    const permanent = err instanceof TemplateError;
    if (permanent || isLastAttempt(job)) {
      await updateDelivery(
        d.id,
        { state: 'failed', lastError: scrubError((err as Error).message) },
        { attempts: 1 },
      );
      if (permanent) throw new UnrecoverableError((err as Error).message);
    }
    throw err;
  }
  if ('skip' in prepared) {
    await recordOutcome({ id: d.id, set: { state: 'skipped', lastError: prepared.skip } });
    return { skipped: prepared.skip };
  }
  if (prepared.window) {
    const waitUntil = await prepared.window();
    if (waitUntil) await delayUntil(job, token, waitUntil);
  }

  const key = sendClaimKey(d);
  const by = `${job.id}`;
  const staleMs = ctx.config.notifications.sendTimeoutMs + 5_000;
  let resumed = false;
  if (!(await claimSend({ key, by }))) {
    const since = await claimHeldSince(key);
    const fresh = await findDelivery(d.id);
    if (fresh?.state !== 'pending') return { skipped: fresh?.state ?? 'gone' };
    if (since && Date.now() - since.getTime() < staleMs)
      await delayUntil(job, token, since.getTime() + staleMs + 50);
    if (CHANNEL_SEMANTICS[d.channel] === 'at_most_once') {
      await updateDelivery(d.id, { state: 'failed', lastError: OUTCOME_UNKNOWN });
      ctx.logger.warn(
        { deliveryId: d.id, channel: d.channel },
        'interrupted send not repeated (at most once)',
      );
      return { skipped: 'outcome_unknown' };
    }
    const owned = await claimOrTakeOver(
      key,
      staleMs,
      async () => (await findDelivery(d.id))?.state === 'pending',
      by,
    );
    if (!owned) await delayUntil(job, token, Date.now() + staleMs);
    resumed = true;
  }

  const attemptAt = new Date();
  try {
    await prepared.send();
  } catch (raw) {
    const err = raw instanceof SendError ? raw : new SendError((raw as Error).message ?? String(raw));
    const lastError = scrubError(err.message);
    if (err.opts.ambiguous && CHANNEL_SEMANTICS[d.channel] === 'at_most_once') {
      // Keep the claim: the message may be in the group already.
      await updateDelivery(
        d.id,
        { state: 'failed', lastError: `${OUTCOME_UNKNOWN} (${lastError})`, lastAttemptAt: attemptAt },
        { attempts: 1 },
      );
      throw new UnrecoverableError(OUTCOME_UNKNOWN);
    }
    await release(key);
    if (err.opts.retryAfterMs) {
      await updateDelivery(d.id, { lastError, lastAttemptAt: attemptAt }, { attempts: 1 });
      await delayUntil(job, token, Date.now() + err.opts.retryAfterMs);
    }
    const final = err.opts.permanent || isLastAttempt(job);
    await updateDelivery(
      d.id,
      { state: final ? 'failed' : 'pending', lastError, lastAttemptAt: attemptAt },
      { attempts: 1, ...(resumed ? { interruptedSends: 1 } : {}) },
    );
    ctx.logger.warn(
      { deliveryId: d.id, ...prepared.describe, attempt: job.attemptsMade + 1, final, err: lastError },
      final ? 'delivery failed permanently' : 'delivery attempt failed; will retry',
    );
    if (err.opts.permanent) throw new UnrecoverableError(lastError);
    throw new Error(lastError);
  }
  // The record of the successful send: written before the job completes. The claim stays, so no
  // later run of this generation sends again.
  await recordOutcome({
    id: d.id,
    set: { state: 'sent', sentAt: new Date(), lastError: null, lastAttemptAt: attemptAt },
    inc: { attempts: 1, ...(resumed ? { interruptedSends: 1 } : {}) },
  });
  return { sent: d.channel, resumed };
}
