import { createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import { insertDeliveries } from './deliveries.repository.js';
import { enqueueDeliveries, type NotifyContext } from './notifications.service.js';
import { type SmsTemplate, type SmsVarsInput, smsVariables } from './sms-templates.js';
import { newObjectId } from './webhooks.repository.js';
import { webhookCipher } from './webhooks.service.js';

export { employerShortName, SMS_TEMPLATE_KEYS, type SmsTemplate } from './sms-templates.js';

export type SmsOutcome =
  | { queued: true; key: string; deliveryId: string | null }
  | { queued: false; reason: 'sms_off' };

/** The field the variables are sealed under: a link variable carries a personal token. */
export const SMS_VARS_FIELD = 'smsVars';

/**
 * Sends a template message to a job seeker: one delivery record per (event, person, template),
 * keyed by `eventKey`, so the same event twice sends once. The variables are validated now and
 * stored encrypted (a link carries the person's token); the phone number is read from the profile
 * only by the worker, at send time.
 */
export async function sendSms<T extends SmsTemplate>(
  ctx: NotifyContext,
  input: { template: T; profileId: string; organizationId: string; eventKey: string; vars: SmsVarsInput<T> },
): Promise<SmsOutcome> {
  const variables = smsVariables(input.template, input.vars);
  if (ctx.config.sms.provider === 'off') return { queued: false, reason: 'sms_off' };
  const id = newObjectId();
  const key = `sms/${input.template}/${input.eventKey}@p/${input.profileId}`;
  const sealed = webhookCipher(ctx.config).encrypt(JSON.stringify(variables), {
    field: SMS_VARS_FIELD,
    recordId: id,
  });
  const [delivery] = await insertDeliveries(
    [
      {
        id,
        key,
        channel: 'sms',
        type: `sms.${input.template}`,
        data: { template: input.template, vars: sealed },
        organizationId: input.organizationId,
        notificationId: null,
        userId: null,
        webhookId: null,
        profileId: input.profileId,
      },
    ],
    new Date(),
  );
  if (delivery) await enqueueDeliveries(ctx, [delivery]);
  // No pending delivery: this event was sent (or failed) before.
  return { queued: true, key, deliveryId: delivery?.id ?? null };
}

/** The variables of an SMS delivery, decrypted (workers only, at send time). */
export function openSmsVariables(config: Config, deliveryId: string, sealed: string): string[] {
  return JSON.parse(webhookCipher(config).decrypt(sealed, { field: SMS_VARS_FIELD, recordId: deliveryId }));
}

/** A phone number as a rate-limit key: keyed hash, so Redis never holds the number. */
export function phoneKey(config: Config, phone: string): string {
  return createHmac('sha256', config.security.hashKey).update(`sms-rate|${phone}`).digest('base64url');
}
