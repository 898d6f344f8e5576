import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import { addressRefusal, hostRefusal } from './webhook-url.js';

/** A send that failed, classified for the retry decision. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly opts: {
      /** Retrying cannot help (bad address, 4xx, removed robot): fail now, keep for manual retry. */
      permanent?: boolean;
      /** The request may have reached the receiver (timeout, reset after sending). */
      ambiguous?: boolean;
      /** The receiver asked us to slow down: retry after this long, without counting an attempt. */
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = 'SendError';
  }
}

// ---------------------------------------------------------------- email

export type Mailer = ReturnType<typeof nodemailer.createTransport>;

let mailer: { key: string; transport: Mailer } | undefined;

/** One pooled SMTP transport per worker process (reused connections, bounded by SMTP_MAX_CONNECTIONS). */
export function smtpTransport(config: Config): Mailer {
  const s = config.smtp;
  const key = `${s.host}:${s.port}:${s.secure}:${s.user ?? ''}:${s.maxConnections}`;
  if (mailer?.key === key) return mailer.transport;
  mailer?.transport.close();
  const timeout = config.notifications.sendTimeoutMs;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: s.maxConnections,
    maxMessages: 1000,
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  mailer = { key, transport };
  return transport;
}

export function closeSmtpTransport(): void {
  mailer?.transport.close();
  mailer = undefined;
}

/** SMTP failures: 5xx replies are permanent (RFC 5321), 4xx and connection problems are retried. */
export function classifySmtpError(err: unknown): SendError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = `smtp ${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${e.message ?? String(err)}`;
  if (e.responseCode && e.responseCode >= 500) return new SendError(message, { permanent: true });
  const ambiguous = e.code === 'ETIMEDOUT' || e.code === 'ESOCKET';
  return new SendError(message, { ambiguous });
}

// ---------------------------------------------------------------- HTTP (webhooks, WeCom)

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function refusedError(message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`refused: ${message}`), { code: 'EPRIVATE' });
}

/**
 * A DNS lookup that refuses the name if any of its addresses is not public, so a public host name
 * cannot point inside (SSRF). The socket connects to an address this lookup returned: no second
 * resolution that could answer differently.
 */
function guardedLookup(hostname: string, options: LookupOneOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    for (const a of list) {
      const range = addressRefusal(a.address);
      if (range) return callback(refusedError(`the host resolves to a ${range} address`), []);
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

export interface HttpReply {
  status: number;
  body: string;
}

const DEFINITELY_NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPRIVATE',
]);

/**
 * POSTs JSON without following redirects (a redirect could lead anywhere), with one deadline for
 * the whole exchange. Errors are SendErrors; the reply, whatever its status, is returned.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<HttpReply> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  // Only literal addresses are judged here: names (localhost too) are judged on what they resolve to.
  const literal = isIP(target.hostname.replace(/^\[|\]$/g, '')) ? hostRefusal(target.hostname) : undefined;
  return new Promise((resolve, reject) => {
    if (!opts.allowPrivate && literal)
      return reject(new SendError(`refused: a ${literal} address`, { permanent: true }));
    let sent = false;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup as never }),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          // The answer matters only for its status (and WeCom's errcode): keep 64 KiB at most.
          if (size <= 65_536) chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err) => reject(new SendError(`response: ${err.message}`, { ambiguous: true })));
      },
    );
    if (!opts.allowPrivate)
      // The last line of defence: the address actually connected to, checked before a byte is
      // written (this listener is added before the request queues its write on 'connect').
      req.on('socket', (socket) => {
        const check = () => {
          const range = addressRefusal(socket.remoteAddress ?? '');
          if (range) req.destroy(refusedError(`connected to a ${range} address`));
        };
        if (socket.connecting) socket.once('connect', check);
        else check();
      });
    req.setTimeout(opts.timeoutMs, () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ERROR';
      const notSent = DEFINITELY_NOT_SENT.has(code);
      reject(
        new SendError(`http ${code}: ${err.message}`, {
          ambiguous: sent && !notSent,
          permanent: code === 'EPRIVATE',
        }),
      );
    });
    req.end(body);
  });
}

/** HTTP statuses: 2xx sent; 408, 425, 429 and 5xx retried; anything else (incl. redirects) permanent. */
export function classifyHttpStatus(status: number): SendError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const retry = status === 408 || status === 425 || status === 429 || status >= 500;
  return new SendError(`http status ${status}`, { permanent: !retry });
}
