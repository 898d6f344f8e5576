import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { currentContext } from './context.js';
import type { Logger } from './logger.js';
import { z } from './zod.js';

export type Lang = 'zh-CN' | 'en';

interface CodeSpec {
  status: number;
  zh: string;
  en: string;
}

/** The one code → status table. A code is a stable contract with clients; titles may be reworded. */
export const ERROR_CODES = {
  validation_failed: { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  malformed_json: { status: 400, zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  json_too_deep: { status: 400, zh: '请求体 JSON 嵌套层数过多', en: 'The JSON body is nested too deeply' },
  mass_assignment: {
    status: 400,
    zh: '请求包含不允许修改的字段',
    en: 'The request sets fields it may not set',
  },
  unauthenticated: { status: 401, zh: '请先登录', en: 'Sign-in required' },
  session_expired: { status: 401, zh: '登录已过期，请重新登录', en: 'The session has expired' },
  invalid_credentials: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'Not allowed' },
  account_locked: { status: 423, zh: '账户已暂时锁定', en: 'The account is temporarily locked' },
  link_invalid: { status: 401, zh: '链接无效或已过期', en: 'The link is not valid (any more)' },
  wrong_second_factor: { status: 401, zh: '核对信息不对', en: 'The check answer is wrong' },
  link_locked: { status: 423, zh: '链接已暂时锁定', en: 'The link is temporarily locked' },
  not_found: { status: 404, zh: '未找到', en: 'Not found' },
  route_not_found: { status: 404, zh: '没有这个接口', en: 'No such endpoint' },
  conflict: { status: 409, zh: '与当前状态冲突', en: 'Conflicts with the current state' },
  duplicate: { status: 409, zh: '记录已存在', en: 'The record already exists' },
  consent_required: {
    status: 409,
    zh: '需要本人的同意',
    en: 'The person’s consent is required first',
  },
  headcount_full: { status: 409, zh: '岗位招聘人数已满', en: 'The opening has no place left' },
  illegal_transition: { status: 409, zh: '当前状态下不能执行此操作', en: 'Not allowed in the current state' },
  precondition_failed: {
    status: 412,
    zh: '记录已被他人修改，请刷新后重试',
    en: 'The record was changed by someone else',
  },
  precondition_required: { status: 428, zh: '需要 If-Match 请求头', en: 'An If-Match header is required' },
  payload_too_large: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  invalid_spreadsheet: {
    status: 400,
    zh: '文件不是可导入的表格',
    en: 'The file is not a spreadsheet that can be imported',
  },
  unsupported_media_type: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  rate_limited: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests' },
  service_unavailable: { status: 503, zh: '服务暂时不可用', en: 'The service is temporarily unavailable' },
  internal: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ProblemIssue {
  path: string;
  code: string;
  /** English (and the message under zh-CN when `messageZh` is absent). */
  message: string;
  /** The message under zh-CN; rendered as `message`, never sent as its own member. */
  messageZh?: string;
}

export interface AppErrorOptions {
  detail?: string;
  /** Optional English detail; `detail` is used for both languages when absent. */
  detailEn?: string;
  issues?: ProblemIssue[];
  headers?: Record<string, string>;
  /** Extra members of the problem document (e.g. `currentState`). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly options: AppErrorOptions = {},
  ) {
    super(options.detailEn ?? options.detail ?? ERROR_CODES[code].en, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }
}

/**
 * A custom issue may name its precise code in `params.code` (e.g. `id_number_check_character`);
 * clients then see that code instead of zod's generic `custom`.
 */
function issueCode(i: z.core.$ZodIssue): string {
  if (i.code === 'custom') {
    const code = (i.params as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code)) return code;
  }
  return i.code;
}

export function issuesFromZod(error: z.ZodError, prefix?: string): ProblemIssue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    code: issueCode(i),
    message: i.message,
  }));
}

export function validationError(error: z.ZodError, prefix?: string): AppError {
  const issues = issuesFromZod(error, prefix);
  return new AppError('validation_failed', {
    detail: `字段 ${issues.map((i) => i.path || '(body)').join(', ')} 不符合要求`,
    detailEn: `Invalid field(s): ${issues.map((i) => i.path || '(body)').join(', ')}`,
    issues,
  });
}

/** zh-CN unless the client prefers English. */
export function pickLang(req: Request): Lang {
  const header = req.headers['accept-language'];
  if (!header) return 'zh-CN';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    requestId: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown());

export type Problem = z.infer<typeof problemSchema>;

export function renderProblem(err: AppError, lang: Lang, instance?: string): Problem {
  const spec = ERROR_CODES[err.code];
  const detail = lang === 'en' ? (err.options.detailEn ?? err.options.detail) : err.options.detail;
  return {
    ...err.options.extra,
    type: `https://tongxin.local/problems/${err.code.replaceAll('_', '-')}`,
    title: lang === 'en' ? spec.en : spec.zh,
    status: spec.status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    code: err.code,
    requestId: currentContext()?.requestId,
    ...(err.options.issues
      ? {
          issues: err.options.issues.map(({ messageZh, ...issue }) =>
            lang === 'en' || messageZh === undefined ? issue : { ...issue, message: messageZh },
          ),
        }
      : {}),
  };
}

/** Body-parser and other http-errors style errors carry `status` and `type`. */
/** Driver errors that mean "MongoDB cannot be reached right now", not a bug: a 503, not a 500. */
const DATABASE_UNREACHABLE =
  /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|PoolCleared|TopologyClosed|ServerClosed|UnexpectedServerResponse)Error$/;

/**
 * Server answers that mean "shutting down or stepping down, try again": what a server being
 * stopped sends for the commands it was still running (ShutdownInProgress, InterruptedAtShutdown,
 * InterruptedDueToReplStateChange, NotWritablePrimary, PrimarySteppedDown, NotPrimaryNoSecondaryOk,
 * NotPrimaryOrSecondary).
 */
const DATABASE_STOPPING_CODES = new Set([91, 11600, 11602, 10107, 189, 13435, 13436]);

export function isDatabaseUnreachable(err: unknown): boolean {
  for (
    let e = err as { name?: string; message?: string; code?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e !== 'object') return false;
    if (typeof e.name === 'string' && DATABASE_UNREACHABLE.test(e.name)) return true;
    if (e.name === 'MongoServerError' && typeof e.code === 'number' && DATABASE_STOPPING_CODES.has(e.code))
      return true;
    // mongoose queues operations while disconnected and gives up with this message.
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message ?? '')) return true;
    e = e.cause as typeof e;
  }
  return false;
}

function fromFrameworkError(err: unknown): AppError | undefined {
  if (!err || typeof err !== 'object') return undefined;
  if (isDatabaseUnreachable(err))
    return new AppError('service_unavailable', {
      detail: '数据库暂时不可用，请稍后重试',
      detailEn: 'The database cannot be reached; try again shortly',
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  const e = err as { type?: string; status?: number; statusCode?: number };
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed') return new AppError('malformed_json', { cause: err });
  if (e.type === 'entity.too.large' || status === 413)
    return new AppError('payload_too_large', { cause: err });
  if (e.type === 'encoding.unsupported' || status === 415)
    return new AppError('unsupported_media_type', { cause: err });
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new AppError('validation_failed', {
      detail: '请求无法解析',
      detailEn: 'The request could not be parsed',
    });
  return undefined;
}

export function sendProblem(res: Parameters<ErrorRequestHandler>[2], req: Request, err: AppError): void {
  for (const [k, v] of Object.entries(err.options.headers ?? {})) res.setHeader(k, v);
  res
    .status(err.status)
    .type('application/problem+json')
    .send(JSON.stringify(renderProblem(err, pickLang(req), req.originalUrl.split('?')[0])));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let appErr: AppError;
    if (err instanceof AppError) appErr = err;
    else if (err instanceof z.ZodError) appErr = validationError(err);
    else {
      const framework = fromFrameworkError(err);
      if (framework) appErr = framework;
      else {
        // The cause goes to the log only; the client gets a generic 500 with the request id.
        logger.error({ err }, 'unhandled error');
        appErr = new AppError('internal');
      }
    }
    if (appErr.status >= 500 && appErr.code !== 'internal')
      logger.warn({ code: appErr.code, err: appErr.cause }, appErr.message);
    sendProblem(res, req, appErr);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(
    new AppError('route_not_found', {
      detail: `${req.method} ${req.path} 不存在`,
      detailEn: `${req.method} ${req.path} does not exist`,
    }),
  );
};
