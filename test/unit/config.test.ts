import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_SECRETS, loadConfig } from '../../src/config.js';
import { childEnv } from '../fixtures/processes.js';

const strongKey = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('when nothing is set, then development defaults apply and the result is frozen', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.http.port).toBe(3000);
    expect(c.mongo.uri).toMatch(/^mongodb:\/\//);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it('when several variables are bad, then every one is named at once', () => {
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/REDIS_URL/);
      expect(problems).toMatch(/LOG_LEVEL/);
    }
  });

  it('when production lacks secrets, then it refuses naming each', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(
      /FIELD_ENCRYPTION_KEY[\s\S]*HASH_KEY[\s\S]*SESSION_SECRET/,
    );
  });

  it('when production uses the demo secrets, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...DEMO_SECRETS })).toThrowError(/demo value/);
  });

  it('when production has real secrets, then it starts', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      FIELD_ENCRYPTION_KEY: strongKey,
      HASH_KEY: 'h'.repeat(40),
      SESSION_SECRET: 's'.repeat(40),
    });
    expect(c.isProduction).toBe(true);
    expect(c.security.fieldKey.key).toBe(strongKey);
  });

  it('when production sends SMS through Tencent without its keys, then it refuses naming each; with them and https, it starts', () => {
    const prod = {
      NODE_ENV: 'production',
      FIELD_ENCRYPTION_KEY: strongKey,
      HASH_KEY: 'h'.repeat(40),
      SESSION_SECRET: 's'.repeat(40),
    };
    expect(() => loadConfig({ ...prod, SMS_PROVIDER: 'tencent' })).toThrowError(
      /SMS_SECRET_ID[\s\S]*SMS_SECRET_KEY[\s\S]*SMS_SDK_APP_ID[\s\S]*SMS_SIGN_NAME[\s\S]*SMS_TEMPLATE_ACCESS_LINK[\s\S]*SMS_TEMPLATE_PROPOSAL[\s\S]*SMS_TEMPLATE_FOLLOW_UP/,
    );
    const sms = {
      SMS_PROVIDER: 'tencent',
      SMS_SECRET_ID: 'AKIDexample',
      SMS_SECRET_KEY: 'k'.repeat(32),
      SMS_SDK_APP_ID: '1400000001',
      SMS_SIGN_NAME: '同心就业',
      SMS_TEMPLATE_ACCESS_LINK: '1',
      SMS_TEMPLATE_PROPOSAL: '2',
      SMS_TEMPLATE_FOLLOW_UP: '3',
    };
    expect(() => loadConfig({ ...prod, ...sms, SMS_ENDPOINT: 'http://sms.localhost:9' })).toThrowError(
      /SMS_ENDPOINT/,
    );
    expect(loadConfig({ ...prod, ...sms }).sms).toMatchObject({
      provider: 'tencent',
      endpoint: 'https://sms.tencentcloudapi.com',
      templates: { access_link: '1', proposal: '2', follow_up: '3' },
    });
  });

  it('when production sets MEILI_HOST without a key, then it refuses', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        FIELD_ENCRYPTION_KEY: strongKey,
        HASH_KEY: 'h'.repeat(40),
        SESSION_SECRET: 's'.repeat(40),
        MEILI_HOST: 'http://127.0.0.1:7700',
      }),
    ).toThrowError(/MEILI_API_KEY/);
  });

  it('when production uses a sample or short Meilisearch key, then it refuses naming the variable', () => {
    const base = {
      NODE_ENV: 'production',
      FIELD_ENCRYPTION_KEY: strongKey,
      HASH_KEY: 'h'.repeat(40),
      SESSION_SECRET: 's'.repeat(40),
      MEILI_HOST: 'http://127.0.0.1:7700',
    };
    expect(() => loadConfig({ ...base, MEILI_API_KEY: 'masterKey' })).toThrowError(/MEILI_API_KEY.*sample/);
    expect(() =>
      loadConfig({ ...base, MEILI_API_KEY: 'k'.repeat(32), MEILI_SEARCH_KEY: 'aSampleMasterKey' }),
    ).toThrowError(/MEILI_SEARCH_KEY.*sample/);
    expect(() => loadConfig({ ...base, MEILI_API_KEY: 'short' })).toThrowError(/MEILI_API_KEY.*16 bytes/);
    expect(
      loadConfig({ ...base, MEILI_API_KEY: 'k'.repeat(32), MEILI_SEARCH_KEY: 's'.repeat(32) }).search
        .meiliApiKey,
    ).toBe('k'.repeat(32));
  });

  it('when production has MEILI_HOST without a separate search key, then it refuses naming MEILI_SEARCH_KEY', () => {
    const base = {
      NODE_ENV: 'production',
      FIELD_ENCRYPTION_KEY: strongKey,
      HASH_KEY: 'h'.repeat(40),
      SESSION_SECRET: 's'.repeat(40),
      MEILI_HOST: 'http://127.0.0.1:7700',
      MEILI_API_KEY: 'k'.repeat(32),
    };
    expect(() => loadConfig(base)).toThrowError(/MEILI_SEARCH_KEY.*required/);
    expect(() => loadConfig({ ...base, MEILI_SEARCH_KEY: 'k'.repeat(32) })).toThrowError(
      /MEILI_SEARCH_KEY.*must differ/,
    );
  });

  it('when not in production, then a sample Meilisearch key is accepted (local development)', () => {
    expect(
      loadConfig({ MEILI_HOST: 'http://127.0.0.1:7700', MEILI_API_KEY: 'masterKey' }).search.meiliApiKey,
    ).toBe('masterKey');
  });

  it('when the field key is not 32 bytes, then it is refused', () => {
    expect(() => loadConfig({ FIELD_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrowError(
      /FIELD_ENCRYPTION_KEY/,
    );
  });

  it('when a variable is empty, then it counts as unset', () => {
    expect(loadConfig({ PORT: '' }).http.port).toBe(3000);
  });

  it('when old keys are listed, then they are parsed as id:key pairs', () => {
    const c = loadConfig({ FIELD_ENCRYPTION_OLD_KEYS: `k0:${strongKey}, k00:${strongKey}` });
    expect(c.security.oldFieldKeys.map((k) => k.id)).toEqual(['k0', 'k00']);
  });
});

describe('SEARCH_SYNC_INTERVAL_MS', () => {
  it('when unset, then the index catches up every 5 s; when set, then as set; out of range, then refused', () => {
    expect(loadConfig({}).search.syncIntervalMs).toBe(5_000);
    expect(loadConfig({ SEARCH_SYNC_INTERVAL_MS: '250' }).search.syncIntervalMs).toBe(250);
    expect(() => loadConfig({ SEARCH_SYNC_INTERVAL_MS: '50' })).toThrowError(/SEARCH_SYNC_INTERVAL_MS/);
    expect(() => loadConfig({ SEARCH_SYNC_INTERVAL_MS: 'soon' })).toThrowError(/SEARCH_SYNC_INTERVAL_MS/);
  });

  it('when documented, then .env.example gives the default and the README table explains it', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync('.env.example', 'utf8')).toMatch(/^SEARCH_SYNC_INTERVAL_MS=5000\b/m);
    expect(readFileSync('README.md', 'utf8')).toMatch(
      /^\| `SEARCH_SYNC_INTERVAL_MS` +\| 5000 +\| .*sweeps.*Meilisearch/m,
    );
  });
});

describe('SEARCH_SWEEP_INTERVAL_MS', () => {
  it('when unset, then the embedded engine sweeps every 10 minutes; when set, then as set; out of range, then refused', () => {
    expect(loadConfig({}).search.sweepIntervalMs).toBe(600_000);
    expect(loadConfig({ SEARCH_SWEEP_INTERVAL_MS: '1000' }).search.sweepIntervalMs).toBe(1_000);
    expect(() => loadConfig({ SEARCH_SWEEP_INTERVAL_MS: '50' })).toThrowError(/SEARCH_SWEEP_INTERVAL_MS/);
  });
});

describe('.env.example', () => {
  it('when compared with the schema, then it lists every variable and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const { ENV_VARIABLES } = await import('../../src/config.js');
    const text = readFileSync('.env.example', 'utf8');
    const listed = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...ENV_VARIABLES].sort());
    const readme = readFileSync('README.md', 'utf8');
    for (const name of ENV_VARIABLES) expect(readme, `README documents ${name}`).toContain(`\`${name}\``);
  });
});

describe('spawned entry points', () => {
  it('when the test run has MEILI_* or NODE_ENV set, then a spawned entry gets only what it is given', () => {
    const saved = { ...process.env };
    try {
      process.env.MEILI_HOST = 'http://127.0.0.1:7700';
      process.env.MEILI_API_KEY = 'k'.repeat(32);
      process.env.NODE_ENV = 'test';
      const env = childEnv({ MONGODB_URI: 'mongodb://127.0.0.1:27017/x' });
      expect(env.MEILI_HOST).toBeUndefined();
      expect(env.MEILI_API_KEY).toBeUndefined();
      expect(env.NODE_ENV).toBeUndefined();
      expect(env.MONGODB_URI).toBe('mongodb://127.0.0.1:27017/x');
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      process.env = saved;
    }
  });
});
