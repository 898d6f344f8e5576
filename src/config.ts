import { CHINA_TIME_ZONE } from './lib/china-time.js';
import { z } from './lib/zod.js';

/**
 * Secrets shipped in `.env.example` and used by `npm run up` / tests. They are fine on a laptop and
 * fatal in production: loadConfig refuses them when NODE_ENV=production.
 */
export const DEMO_SECRETS = {
  FIELD_ENCRYPTION_KEY: 'ZGVtby1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy0hISE=',
  HASH_KEY: 'ZGVtby1vbmx5LWhhc2gta2V5LWZvci1pZC1udW1iZXJz',
  SESSION_SECRET: 'demo-only-session-secret-change-me-0123456789',
} as const;

/** Keys copied from Meilisearch's and compose files' examples; compared case-insensitively. */
const SAMPLE_MEILI_KEYS = new Set([
  'masterkey',
  'master_key',
  'amasterkey',
  'asamplemasterkey',
  'your_master_key',
  'your-master-key',
  'changeme',
  'change-me',
  'meili-master-key',
  'meilisearch',
]);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated list of lower-case codes. */
const codeList = z
  .string()
  .regex(/^\s*[a-z0-9_]{1,40}(\s*,\s*[a-z0-9_]{1,40})*\s*$/, 'comma-separated codes');

const port = z.coerce.number().int().min(0).max(65535);

/** A base64 string that decodes to exactly 32 bytes (an AES-256 key). */
const key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes');

/** What SMS_PROVIDER=tencent cannot send without (production refuses to start). */
const SMS_REQUIRED = [
  'SMS_SECRET_ID',
  'SMS_SECRET_KEY',
  'SMS_SDK_APP_ID',
  'SMS_SIGN_NAME',
  'SMS_TEMPLATE_ACCESS_LINK',
  'SMS_TEMPLATE_PROPOSAL',
  'SMS_TEMPLATE_FOLLOW_UP',
] as const;

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Port for /metrics without admin auth; bind it to an internal interface only. 0 = disabled. */
    METRICS_PORT: port.default(0),
    WORKER_METRICS_PORT: port.default(9465),
    TRUST_PROXY: z.string().default('loopback'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'like 100kb or 1mb')
      .default('1mb'),
    PUBLIC_URL: z.url().optional(),

    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .default('mongodb://127.0.0.1:27017/tongxin'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .default('redis://127.0.0.1:6379'),
    /** Prefix of every BullMQ key; tests use one per file so files run in parallel. */
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
      .default('tx'),

    MEILI_HOST: z.url().optional(),
    MEILI_API_KEY: z.string().optional(),
    MEILI_SEARCH_KEY: z.string().optional(),
    SEARCH_INDEX_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
      .default(''),
    /**
     * How often the worker's sweep catches the Meilisearch index up with MongoDB by itself.
     * Changes usually arrive sooner (see README).
     */
    SEARCH_SYNC_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
    /**
     * Embedded engine: how often the API compares everything changed since its previous sweep
     * with the index. A safety net only: changes arrive as events from Redis (see README).
     */
    SEARCH_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),

    /** Matching: suggestions kept per opening and per worker profile (top-N). */
    MATCHING_TOP_N: z.coerce.number().int().min(1).max(200).default(20),
    /**
     * Safety net of every worker's in-memory snapshot: how often it compares MongoDB with what it
     * holds (changes normally arrive at once through the Redis change log; see README Matching).
     */
    MATCHING_POLL_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    /** Openings per child job of `npm run rematch`. */
    MATCHING_REMATCH_CHUNK: z.coerce.number().int().min(1).max(5_000).default(100),
    /**
     * Minutes between the worker's fairness-report snapshots (a full read of profiles and matches,
     * so not per request; see README Reports).
     */
    REPORTS_FAIRNESS_EVERY_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),

    FIELD_ENCRYPTION_KEY: key32.optional(),
    FIELD_ENCRYPTION_KEY_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .default('k1'),
    /** Former keys, `id:base64,id:base64`, kept readable until `npm run rotate-key` has run. */
    FIELD_ENCRYPTION_OLD_KEYS: z.string().default(''),
    HASH_KEY: z.string().min(32, 'at least 32 characters').optional(),
    SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    SESSION_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 7)
      .default(8 * 60),
    /**
     * How long the API keeps a resolved session (user, roles, organisation) in process; changes to
     * them reach every API process at once through Redis pub/sub. 0 reads MongoDB on every request.
     */
    SESSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** Wrong passwords in a row from one client address before that address is locked out of the account. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    /** Wrong passwords in a row from all addresses together before the account itself is locked. */
    LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(50),
    LOGIN_LOCK_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** Base delay added to a failed login from the second failure on, doubling each time (capped). */
    LOGIN_SLOWDOWN_MS: z.coerce.number().int().min(0).max(10_000).default(250),

    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),

    SMTP_HOST: z.string().default('127.0.0.1'),
    SMTP_PORT: port.default(2525),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    SMTP_FROM: z.string().default('同心 Tongxin <no-reply@tongxin.local>'),
    /** Pooled SMTP connections per worker process. */
    SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),

    /**
     * Email delivery jobs one worker process runs at once (instead of WORKER_CONCURRENCY): their
     * reads and writes are batched, so more at once cost fewer round trips each.
     */
    NOTIFY_EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(64),
    /** Rate limits per channel (BullMQ limiter on the channel's queue, shared by every worker). */
    NOTIFY_EMAIL_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(10),
    NOTIFY_WEBHOOK_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(20),
    /** Per WeCom group robot (WeCom allows 20 messages a minute per robot). */
    NOTIFY_WECOM_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
    /** Bursts of collapsible events (new suggestions) for one recipient within this window become one notification. */
    NOTIFY_COLLAPSE_WINDOW_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
    /** When reviewers who chose the daily digest get it (cron, in NOTIFY_DIGEST_TZ). */
    NOTIFY_DIGEST_CRON: z
      .string()
      .regex(/^\S+( \S+){4,5}$/, 'a cron pattern such as "0 8 * * *"')
      .default('0 8 * * *'),
    NOTIFY_DIGEST_TZ: z.string().min(1).default(CHINA_TIME_ZONE),
    /** Upper bound of one SMTP or webhook send; a send claim older than this (+5 s) is presumed dead. */
    NOTIFY_SEND_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(15_000),
    /** Allow webhooks to loopback and private addresses (tests, on-premise receivers); off = SSRF guard. */
    NOTIFY_WEBHOOK_ALLOW_PRIVATE: bool.default(false),

    /** Text messages to job seekers (not users): off, or Tencent Cloud SMS through its official SDK. */
    SMS_PROVIDER: z.enum(['off', 'tencent']).default('off'),
    /** The provider's API endpoint; http only for a loopback stub (a `*.localhost` name resolves to 127.0.0.1). */
    SMS_ENDPOINT: z.url().default('https://sms.tencentcloudapi.com'),
    SMS_REGION: z
      .string()
      .regex(/^[a-z]+-[a-z]+$/)
      .default('ap-guangzhou'),
    SMS_SECRET_ID: z.string().min(1).optional(),
    SMS_SECRET_KEY: z.string().min(1).optional(),
    SMS_SDK_APP_ID: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    /** The approved signature (签名) shown in front of every message. */
    SMS_SIGN_NAME: z.string().min(1).max(20).optional(),
    /** Approved template ids (模板 ID), one per message kind (src/modules/notifications/sms-templates.ts). */
    SMS_TEMPLATE_ACCESS_LINK: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    SMS_TEMPLATE_PROPOSAL: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    SMS_TEMPLATE_FOLLOW_UP: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    /** Messages to one phone number per hour; more wait for the next hour. */
    SMS_PER_NUMBER_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),

    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    /** A job held by a worker that died is handed to another after about this long. */
    WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
    SEED_DEMO_DATA: bool.default(false),
    /**
     * Lowest monthly wage (CNY) an opening may offer. Default: the lowest monthly minimum-wage tier
     * of 广东 and 浙江 (广东 四类地区, 1620, 2021 table); raise it as the provinces adjust theirs.
     */
    WAGE_FLOOR_CNY: z.coerce.number().int().min(0).max(100_000).default(1620),

    /** Reason codes a reviewer picks when rejecting a suggestion (labels in matches/machine.ts; `other` needs a note). */
    REVIEW_REJECT_REASONS: codeList.default('skills_mismatch,unwilling_to_travel,opening_full,health,other'),
    /** Reason codes an employer picks when declining a proposal. */
    REVIEW_DECLINE_REASONS: codeList.default(
      'requirements_not_met,no_show,position_cancelled,opening_full,other',
    ),
    /** Reason codes for a withdrawal by federation staff. */
    REVIEW_WITHDRAW_REASONS: codeList.default('person_declined,found_other_work,health,duplicate,other'),
    /** Follow-up checkpoints after the contract start: days (7d) or months (3m), comma-separated. */
    FOLLOW_UP_SCHEDULE: z
      .string()
      .regex(/^\s*\d{1,3}[dm](\s*,\s*\d{1,3}[dm])*\s*$/, 'like 7d,1m,3m,6m')
      .default('7d,1m,3m,6m'),
    /** Days after a checkpoint's day before it is overdue (and the overdue reminder goes out). */
    FOLLOW_UP_GRACE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** How often the worker looks for moves of a match whose consequence jobs were lost (seconds). */
    MATCH_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(3_600).default(60),
    /** How old such a move must be (its own jobs have had time to run) before the sweep enqueues them again. */
    MATCH_SWEEP_AFTER_SECONDS: z.coerce.number().int().min(10).max(86_400).default(120),

    /** Working age of the real-name employment system (DOMAIN.md); outside it a profile is kept but not matched. */
    WORKING_AGE_MIN: z.coerce.number().int().min(0).max(100).default(16),
    WORKING_AGE_MAX_MALE: z.coerce.number().int().min(0).max(100).default(59),
    WORKING_AGE_MAX_FEMALE: z.coerce.number().int().min(0).max(100).default(54),
    /** Largest spreadsheet accepted by the worker-profile import (bytes, or like 10mb). */
    IMPORT_MAX_BYTES: z
      .string()
      .regex(/^\d+(b|kb|mb)?$/i, 'bytes, or like 512kb or 10mb')
      .default('10mb'),
    /** Most bytes an uploaded XLSX may inflate to (counted while inflating, zip bomb guard). */
    IMPORT_MAX_INFLATED_BYTES: z
      .string()
      .regex(/^\d+(b|kb|mb)?$/i, 'bytes, or like 512kb or 10mb')
      .default('32mb'),
    /** Most data rows one import may hold. */
    IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(200_000).default(20_000),
  })
  .superRefine((env, ctx) => {
    for (const name of ['WORKING_AGE_MAX_MALE', 'WORKING_AGE_MAX_FEMALE'] as const)
      if (env[name] < env.WORKING_AGE_MIN)
        ctx.addIssue({ code: 'custom', path: [name], message: 'must not be below WORKING_AGE_MIN' });
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['FIELD_ENCRYPTION_KEY', 'HASH_KEY', 'SESSION_SECRET'] as const) {
      const value = env[name];
      if (!value) ctx.addIssue({ code: 'custom', path: [name], message: 'required in production' });
      else if (value === DEMO_SECRETS[name])
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'the demo value must not be used in production',
        });
    }
    if (env.MEILI_HOST) {
      if (!env.MEILI_API_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['MEILI_API_KEY'],
          message: 'required in production with MEILI_HOST',
        });
      // The API gets a key that can only read; the write key stays with the worker.
      if (!env.MEILI_SEARCH_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['MEILI_SEARCH_KEY'],
          message: 'required in production with MEILI_HOST (a search key, not the write key)',
        });
      else if (env.MEILI_SEARCH_KEY === env.MEILI_API_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['MEILI_SEARCH_KEY'],
          message: 'must differ from MEILI_API_KEY: the API searches with a key that cannot write',
        });
      for (const name of ['MEILI_API_KEY', 'MEILI_SEARCH_KEY'] as const) {
        const value = env[name];
        if (value === undefined) continue;
        if (SAMPLE_MEILI_KEYS.has(value.toLowerCase()))
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'a sample key from documentation must not be used in production',
          });
        // Meilisearch itself refuses a master key under 16 bytes in production mode.
        else if (Buffer.byteLength(value) < 16)
          ctx.addIssue({ code: 'custom', path: [name], message: 'at least 16 bytes in production' });
      }
    }
    if (env.SMS_PROVIDER === 'tencent') {
      for (const name of SMS_REQUIRED)
        if (!env[name])
          ctx.addIssue({ code: 'custom', path: [name], message: 'required in production with SMS_PROVIDER' });
      if (!env.SMS_ENDPOINT.startsWith('https://'))
        ctx.addIssue({ code: 'custom', path: ['SMS_ENDPOINT'], message: 'https in production' });
    }
    if (env.SEED_DEMO_DATA)
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO_DATA'],
        message: 'demo data is never loaded in production',
      });
  });

type Env = z.infer<typeof envSchema>;

/** Every variable the service reads; `.env.example` and the README list exactly these. */
export const ENV_VARIABLES = Object.keys(envSchema.shape);

function splitCodes(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseBytes(value: string): number {
  const m = /^(\d+)(b|kb|mb)?$/i.exec(value)!;
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

function shape(env: Env) {
  const oldKeys = env.FIELD_ENCRYPTION_OLD_KEYS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const [id, key] = pair.split(':');
      return { id: id ?? '', key: key ?? '' };
    });
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL,
    http: {
      port: env.PORT,
      host: env.HOST,
      metricsPort: env.METRICS_PORT,
      trustProxy: env.TRUST_PROXY,
      bodyLimit: env.BODY_LIMIT,
      publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    },
    mongo: { uri: env.MONGODB_URI },
    redis: { url: env.REDIS_URL, queuePrefix: env.QUEUE_PREFIX },
    search: {
      meiliHost: env.MEILI_HOST,
      meiliApiKey: env.MEILI_API_KEY,
      meiliSearchKey: env.MEILI_SEARCH_KEY,
      indexPrefix: env.SEARCH_INDEX_PREFIX,
      syncIntervalMs: env.SEARCH_SYNC_INTERVAL_MS,
      sweepIntervalMs: env.SEARCH_SWEEP_INTERVAL_MS,
    },
    matching: {
      topN: env.MATCHING_TOP_N,
      pollIntervalMs: env.MATCHING_POLL_INTERVAL_MS,
      rematchChunk: env.MATCHING_REMATCH_CHUNK,
    },
    reports: { fairnessEveryMinutes: env.REPORTS_FAIRNESS_EVERY_MINUTES },
    security: {
      fieldKey: {
        id: env.FIELD_ENCRYPTION_KEY_ID,
        key: env.FIELD_ENCRYPTION_KEY ?? DEMO_SECRETS.FIELD_ENCRYPTION_KEY,
      },
      oldFieldKeys: oldKeys,
      hashKey: env.HASH_KEY ?? DEMO_SECRETS.HASH_KEY,
      sessionSecret: env.SESSION_SECRET ?? DEMO_SECRETS.SESSION_SECRET,
      sessionTtlMinutes: env.SESSION_TTL_MINUTES,
      sessionCacheTtlMs: env.SESSION_CACHE_TTL_MS,
      login: {
        maxFailures: env.LOGIN_MAX_FAILURES,
        accountMaxFailures: env.LOGIN_ACCOUNT_MAX_FAILURES,
        lockMinutes: env.LOGIN_LOCK_MINUTES,
        slowdownMs: env.LOGIN_SLOWDOWN_MS,
      },
    },
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE, loginPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE },
    smtp: {
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_SECURE,
      user: env.SMTP_USER,
      password: env.SMTP_PASSWORD,
      from: env.SMTP_FROM,
      maxConnections: env.SMTP_MAX_CONNECTIONS,
    },
    notifications: {
      emailPerSecond: env.NOTIFY_EMAIL_PER_SECOND,
      emailConcurrency: env.NOTIFY_EMAIL_CONCURRENCY,
      webhookPerSecond: env.NOTIFY_WEBHOOK_PER_SECOND,
      wecomPerMinute: env.NOTIFY_WECOM_PER_MINUTE,
      collapseWindowMs: env.NOTIFY_COLLAPSE_WINDOW_MS,
      digestCron: env.NOTIFY_DIGEST_CRON,
      digestTz: env.NOTIFY_DIGEST_TZ,
      sendTimeoutMs: env.NOTIFY_SEND_TIMEOUT_MS,
      allowPrivateWebhooks: env.NOTIFY_WEBHOOK_ALLOW_PRIVATE,
    },
    sms: {
      provider: env.SMS_PROVIDER,
      endpoint: env.SMS_ENDPOINT,
      region: env.SMS_REGION,
      secretId: env.SMS_SECRET_ID ?? '',
      secretKey: env.SMS_SECRET_KEY ?? '',
      sdkAppId: env.SMS_SDK_APP_ID ?? '',
      signName: env.SMS_SIGN_NAME ?? '',
      templates: {
        access_link: env.SMS_TEMPLATE_ACCESS_LINK ?? '',
        proposal: env.SMS_TEMPLATE_PROPOSAL ?? '',
        follow_up: env.SMS_TEMPLATE_FOLLOW_UP ?? '',
      },
      perNumberPerHour: env.SMS_PER_NUMBER_PER_HOUR,
    },
    worker: {
      concurrency: env.WORKER_CONCURRENCY,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      metricsPort: env.WORKER_METRICS_PORT,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    seedDemoData: env.SEED_DEMO_DATA,
    openings: { wageFloorCny: env.WAGE_FLOOR_CNY },
    review: {
      rejectReasons: splitCodes(env.REVIEW_REJECT_REASONS),
      declineReasons: splitCodes(env.REVIEW_DECLINE_REASONS),
      withdrawReasons: splitCodes(env.REVIEW_WITHDRAW_REASONS),
      sweepEveryMs: env.MATCH_SWEEP_INTERVAL_SECONDS * 1000,
      sweepAfterMs: env.MATCH_SWEEP_AFTER_SECONDS * 1000,
    },
    placements: {
      followUpSchedule: env.FOLLOW_UP_SCHEDULE.replace(/\s+/g, ''),
      followUpGraceDays: env.FOLLOW_UP_GRACE_DAYS,
    },
    workerProfiles: {
      workingAge: {
        minAge: env.WORKING_AGE_MIN,
        maxAgeMale: env.WORKING_AGE_MAX_MALE,
        maxAgeFemale: env.WORKING_AGE_MAX_FEMALE,
      },
      importMaxBytes: parseBytes(env.IMPORT_MAX_BYTES),
      importMaxRows: env.IMPORT_MAX_ROWS,
      importMaxInflatedBytes: parseBytes(env.IMPORT_MAX_INFLATED_BYTES),
    },
  };
}

export type Config = ReturnType<typeof shape>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the environment once into a nested, frozen config. Every problem is reported at once,
 * each naming its variable, so an operator fixes a deployment in one pass.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (docker compose passes `VAR=` through).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return deepFreeze(shape(parsed.data));
}
