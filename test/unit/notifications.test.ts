import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  EVENTS,
  type EventSpec,
  type EventType,
  eventKey,
  parseEvent,
  summarizeSuggestions,
} from '../../src/modules/notifications/events.js';
import {
  REPLAY_TOLERANCE_SECONDS,
  signPayload,
  verifySignature,
} from '../../src/modules/notifications/signing.js';
import {
  parseTemplate,
  renderTemplate,
  TemplateError,
} from '../../src/modules/notifications/template-engine.js';
import {
  loadTemplates,
  renderMessage,
  TEMPLATE_LANGUAGES,
} from '../../src/modules/notifications/templates.js';
import {
  maskWebhookUrl,
  scrubError,
  webhookUrlProblem,
} from '../../src/modules/notifications/webhook-url.js';
import { WECOM_MAX_BYTES, wecomMarkdownMessage } from '../../src/modules/notifications/wecom.js';

const A = '665f1c2e9b1d8a0012345678';
const B = '665f1c2e9b1d8a00123456ab';

/** Sample data of every event, as a caller would pass it. */
const SAMPLES: Record<EventType, Record<string, unknown>> = {
  'match.suggested': { matchId: A, openingId: B },
  'match.approved': { matchId: A, openingId: B },
  'match.rejected': { matchId: A, openingId: B, reasonCode: 'skills_mismatch' },
  'match.withdrawn': { matchId: A, openingId: B, reasonCode: 'consent_withdrawn' },
  'match.proposed': { matchId: A, openingId: B },
  'match.interested': { matchId: A, openingId: B },
  'match.declined': { matchId: A, openingId: B, reasonCode: 'shift_pattern' },
  'interview.scheduled': { matchId: A, openingId: B, at: '2025-03-01T02:30:00.000Z' },
  'placement.created': { placementId: A, openingId: B },
  'placement.ended': { placementId: A, openingId: B, reasonCode: 'resigned' },
  'follow_up.due': { placementId: A, checkpoint: 'm1', dueOn: '2025-04-01' },
  'follow_up.overdue': { placementId: A, checkpoint: 'm3', dueOn: '2025-06-01' },
  'import.finished': { importId: A, created: 12, updated: 3, failed: 1 },
  'digest.daily': {
    day: '2025-03-01',
    count: 37,
    oldestWaitingSince: '2025-02-27T01:00:00.000Z',
    openings: [{ openingId: B, count: 30 }],
    moreOpenings: 2,
  },
  'person.help_requested': { profileId: A, actionId: B, topic: 'work' },
  'person.correction_requested': { profileId: A, actionId: B, topic: 'skills' },
  'person.answered': { profileId: A, actionId: B, matchId: A, answer: 'want' },
  'system.test': { token: 'abc' },
};

/** The data a notification of the type carries (collapsible events carry their summary). */
function stored(type: EventType): Record<string, unknown> {
  const spec = EVENTS[type] as EventSpec;
  return spec.collapse ? spec.collapse.summarize([SAMPLES[type], SAMPLES[type]]) : SAMPLES[type];
}

describe('notification templates', () => {
  it('when the template folder is loaded, then every event has a zh-CN and an en file that parses', () => {
    const templates = loadTemplates();
    expect(templates.size).toBe(EVENT_TYPES.length * TEMPLATE_LANGUAGES.length);
  });

  for (const type of EVENT_TYPES)
    for (const lang of TEMPLATE_LANGUAGES)
      it(`when ${type} is rendered in ${lang} for every format, then it uses only known names and has a title`, async () => {
        expect.hasAssertions();
        for (const format of ['markdown', 'text', 'wecom'] as const) {
          const m = await renderMessage(
            { type, data: stored(type), lang, publicUrl: 'https://tx.example' },
            format,
          );
          expect(m.title.length).toBeGreaterThan(3);
          expect(m.body).not.toMatch(/\{\{|\}\}/);
          if (lang === 'zh-CN') expect(m.title).toMatch(/[\u4e00-\u9fff]/);
        }
      });

  it('when a burst of 37 suggestions is rendered, then it says 37 and names the opening, not any person', async () => {
    const items = Array.from({ length: 37 }, () => ({ matchId: A, openingId: B }));
    const m = await renderMessage(
      {
        type: 'match.suggested',
        data: summarizeSuggestions(items),
        lang: 'en',
        publicUrl: 'https://tx.example',
      },
      'text',
    );
    expect(m.title).toBe('37 new suggestions in your scope');
    expect(m.body).toContain('#3456ab');
    expect(m.body).toContain('https://tx.example/review/suggestions');
  });

  it('when an optional field is absent, then its section is simply left out', async () => {
    const m = await renderMessage(
      {
        type: 'match.declined',
        data: { matchId: A, openingId: B },
        lang: 'en',
        publicUrl: 'https://tx.example',
      },
      'text',
    );
    expect(m.body).not.toContain('Reason code');
  });

  it('when a template names an unknown variable, then rendering fails instead of printing nothing', () => {
    expect(() => renderTemplate('hello {{nme}}', { name: 'x' })).toThrowError(TemplateError);
    expect(() => parseTemplate('{{#a}}x')).toThrowError(/never closed/);
  });

  it('when a label contains markdown, then the markdown format escapes it and sections iterate', () => {
    const out = renderTemplate(
      '{{#items}}- {{label}}\n{{/items}}{{^none}}empty{{/none}}',
      { items: [{ label: '[x](y)' }], none: [] },
      (s) => s.replace(/[[\]()]/g, (c) => `\\${c}`),
    );
    expect(out).toBe('- \\[x\\]\\(y\\)\nempty');
  });
});

describe('the event catalogue', () => {
  it('when an event carries a field the catalogue does not list (a name), then notify refuses it', () => {
    expect(() =>
      parseEvent({ type: 'match.proposed', data: { matchId: A, openingId: B, name: '张三' } as never }),
    ).toThrowError(/invalid data/);
  });

  it('when the same event is keyed twice, then the keys are equal and contain no colon', () => {
    const e = { type: 'interview.scheduled' as const, data: SAMPLES['interview.scheduled'] as never };
    expect(eventKey(e)).toBe(eventKey(e));
    expect(eventKey(e)).not.toContain(':');
    expect(eventKey(e)).toMatch(/^interview\.scheduled\//);
  });

  it('when suggestions are summarised, then counts per opening come largest first, ten at most', () => {
    const ids = Array.from(
      { length: 12 },
      (_, i) => `665f1c2e9b1d8a00123456${i.toString(16).padStart(2, '0')}`,
    );
    const items = ids.flatMap((openingId, i) => Array.from({ length: i + 1 }, () => ({ openingId })));
    const s = summarizeSuggestions(items);
    expect(s.count).toBe(78);
    expect(s.openings).toHaveLength(10);
    expect(s.openings[0]).toEqual({ openingId: ids[11], count: 12 });
    expect(s.moreOpenings).toBe(2);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"a":1}';
  const now = new Date('2025-03-01T00:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);

  it('when the signature covers timestamp.body with the secret, then it verifies', () => {
    expect(verifySignature(secret, String(ts), signPayload(secret, ts, body), body, now)).toBe(true);
  });

  it('when the body, the secret or the timestamp differ, then it does not verify', () => {
    const sig = signPayload(secret, ts, body);
    expect(verifySignature(secret, String(ts), sig, '{"a":2}', now)).toBe(false);
    expect(verifySignature('other', String(ts), sig, body, now)).toBe(false);
    expect(verifySignature(secret, String(ts + 1), sig, body, now)).toBe(false);
  });

  it('when the timestamp is older than 5 minutes, then it is refused as a replay', () => {
    const old = ts - REPLAY_TOLERANCE_SECONDS - 1;
    expect(verifySignature(secret, String(old), signPayload(secret, old, body), body, now)).toBe(false);
  });
});

describe('webhook URLs', () => {
  const strict = { allowPrivate: false };
  it('when a URL is not http(s), carries credentials or points inside, then it is refused naming why', () => {
    expect(webhookUrlProblem('ftp://example.com/x', 'generic', strict)).toBe('scheme');
    expect(webhookUrlProblem('javascript:alert(1)', 'generic', strict)).toBe('scheme');
    expect(webhookUrlProblem('https://u:p@example.com/x', 'generic', strict)).toBe('credentials');
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', 'generic', strict)).toBe('private_address');
    expect(webhookUrlProblem('http://169.254.169.254/latest', 'generic', strict)).toBe('private_address');
    expect(webhookUrlProblem('http://[::1]/x', 'generic', strict)).toBe('private_address');
    expect(webhookUrlProblem('http://localhost/x', 'generic', strict)).toBe('private_address');
    expect(webhookUrlProblem('not a url', 'generic', strict)).toBe('not_a_url');
    expect(webhookUrlProblem('https://qyapi.weixin.qq.com/cgi-bin/webhook/send', 'wecom', strict)).toBe(
      'wecom_key_missing',
    );
  });

  it('when a URL is public http(s), then it is accepted; private ones only when allowed', () => {
    expect(webhookUrlProblem('https://hooks.example.com/tongxin', 'generic', strict)).toBeUndefined();
    expect(
      webhookUrlProblem('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', 'wecom', strict),
    ).toBeUndefined();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', 'generic', { allowPrivate: true })).toBeUndefined();
  });

  it('when a URL is shown or an error is stored, then query values and addresses are masked', () => {
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx';
    expect(maskWebhookUrl(url)).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
    const scrubbed = scrubError(`failed ${url} for someone@example.org`);
    expect(scrubbed).not.toContain('693a91f6');
    expect(scrubbed).not.toContain('someone@example.org');
  });
});

describe('WeCom robot messages', () => {
  it('when a message is formatted, then it is a markdown message within 4096 bytes', () => {
    const m = wecomMarkdownMessage({ title: '标题', body: '很长'.repeat(3000) });
    expect(m.msgtype).toBe('markdown');
    expect(m.markdown.content.startsWith('### 标题\n')).toBe(true);
    expect(Buffer.byteLength(m.markdown.content)).toBeLessThanOrEqual(WECOM_MAX_BYTES);
  });
});
