import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { findPersonalNumbers, type LeakHit } from '../fixtures/leak-patterns.js';

/**
 * The leak scan (issue 11): runs after the integration tests and the fuzz run of `npm test`, over
 * what they captured (test/fixtures/capture.ts, TONGXIN_CAPTURE_DIR) and over every job payload
 * still in Redis. Any full ID number, certificate number or mobile number fails the run.
 */
const dir = process.env.TONGXIN_CAPTURE_DIR;

interface Finding extends LeakHit {
  where: string;
}

function scanFiles(prefix: string, pick: (line: string) => string): { lines: number; findings: Finding[] } {
  const findings: Finding[] = [];
  let lines = 0;
  for (const file of readdirSync(dir!).filter((f) => f.startsWith(`${prefix}-`))) {
    const text = readFileSync(path.join(dir!, file), 'utf8').split('\n');
    text.forEach((line, i) => {
      if (!line) return;
      lines++;
      for (const hit of findPersonalNumbers(pick(line))) findings.push({ ...hit, where: `${file}:${i + 1}` });
    });
  }
  return { lines, findings };
}

/**
 * Fields that hold an organisation's own contact details, which an employer enters and reads back
 * (an opening's accommodation contact may well be a mobile number): not a job seeker's data. Only
 * these exact keys are blanked before a response is scanned; everything else is scanned as sent.
 */
const OWN_CONTACT_FIELDS: Readonly<Record<string, string>> = { accommodationContact: 'phone' };

/**
 * The other exemption is the one disclosure the product makes on purpose: a proposal whose person
 * consented to share with that employer for that opening (`identityStatus: 'shared'`) carries the
 * person's name and phone (issue 8; audited as `match.disclose`). Only `identity.phone` of such a
 * proposal is blanked; the same phone anywhere else, or in a proposal without consent, still fails.
 */
function withoutConsentedIdentity(value: Record<string, unknown>): Record<string, unknown> {
  const identity = value.identity;
  if (value.identityStatus !== 'shared' || !identity || typeof identity !== 'object') return value;
  return { ...value, identity: { ...(identity as object), phone: '(consented disclosure)' } };
}

function withoutOwnContacts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOwnContacts);
  if (!value || typeof value !== 'object') return value;
  const record = withoutConsentedIdentity(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    const field = OWN_CONTACT_FIELDS[k];
    out[k] =
      field && v && typeof v === 'object' && !Array.isArray(v)
        ? { ...(withoutOwnContacts(v) as object), [field]: '(own contact)' }
        : withoutOwnContacts(v);
  }
  return out;
}

/**
 * A problem document's `instance` and a request log line's `path` are the URL path the caller
 * sent, echoed: they hold only what the caller typed (the fuzzer once sent the year 14809514127,
 * which reads as a mobile number). No route takes a personal number in its path (ids are ObjectIds
 * or region codes), so only these two echoes are blanked; bodies and every other field are scanned.
 */
function withoutPathEcho(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const { instance: _i, ...rest } = value as Record<string, unknown>;
  return rest;
}
function logText(line: string): string {
  try {
    const { path: _p, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return line;
  }
}

function responseText(body: string): string {
  try {
    return JSON.stringify(withoutOwnContacts(withoutPathEcho(JSON.parse(body))));
  } catch {
    return body; // not JSON: scanned as it is
  }
}

const report = (findings: Finding[]) => findings.map((f) => `${f.where} ${f.kind} ${f.masked}`).slice(0, 50);

describe('leak scan', () => {
  it('when the capture directory is set, then it holds what the runs captured', () => {
    expect(dir, 'TONGXIN_CAPTURE_DIR (set by scripts/test.sh)').toBeTruthy();
    expect(scanFiles('logs', (l) => l).lines, 'log lines captured').toBeGreaterThan(0);
    expect(scanFiles('responses', (l) => l).lines, 'employer responses captured').toBeGreaterThan(0);
  });

  it('when every response sent to an employer is scanned, then none holds a personal number', () => {
    const { findings } = scanFiles('responses', (l) =>
      responseText((JSON.parse(l) as { body: string }).body),
    );
    expect(report(findings)).toEqual([]);
  });

  it('when every log line is scanned, then none holds a personal number', () => {
    expect(report(scanFiles('logs', logText).findings)).toEqual([]);
  });

  it('when every search-index document left by a test app is scanned, then none holds a personal number', () => {
    expect(report(scanFiles('search', (l) => l).findings)).toEqual([]);
  });

  it('when every job payload left by a test app is scanned, then none holds a personal number', () => {
    expect(report(scanFiles('jobs', (l) => l).findings)).toEqual([]);
  });

  it('when every job still in Redis is scanned, then no payload holds a personal number', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    const findings: Finding[] = [];
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'COUNT', 1000, 'TYPE', 'hash');
        cursor = next;
        for (const key of keys) {
          // A BullMQ job is a hash with `data` (the payload) and `name`.
          const [data, name] = await redis.hmget(key, 'data', 'name');
          if (!data || !name) continue;
          for (const hit of findPersonalNumbers(data)) findings.push({ ...hit, where: key });
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    expect(report(findings)).toEqual([]);
  });
});
