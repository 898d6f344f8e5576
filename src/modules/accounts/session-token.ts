import { createHmac, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens: 256 random bits with a recognisable prefix (secret scanners find leaked
 * ones). The server keeps only HMAC-SHA256(SESSION_SECRET, token) as the session id.
 */
export const TOKEN_PATTERN = /^tx_[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return `tx_${randomBytes(32).toString('base64url')}`;
}

export function sessionIdFor(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('base64url');
}

/** The token of an `Authorization: Bearer …` header, or undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+)$/i.exec(header?.trim() ?? '');
  return m && TOKEN_PATTERN.test(m[1]!) ? m[1] : undefined;
}
