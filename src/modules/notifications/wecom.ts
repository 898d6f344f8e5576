import type { RenderedMessage } from './templates.js';

/**
 * The WeCom (企业微信) group-robot message: `{"msgtype":"markdown","markdown":{"content":…}}`
 * POSTed to the robot's URL; the answer is `{"errcode":0,"errmsg":"ok"}` on success. The content
 * may be at most 4096 bytes (UTF-8).
 */
export const WECOM_MAX_BYTES = 4096;

/** errcodes that will not go away by retrying (bad or removed robot key, bad message). */
export const WECOM_PERMANENT_ERRORS = new Set([93000, 40008, 40058, 44004, 40035]);
/** "api freq out of limit": the robot's 20-a-minute limit was hit; retry after a minute. */
export const WECOM_RATE_LIMITED = 45009;

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

export function wecomMarkdownMessage(message: RenderedMessage): {
  msgtype: 'markdown';
  markdown: { content: string };
} {
  const content = `### ${message.title}\n${message.body}`;
  return { msgtype: 'markdown', markdown: { content: truncateUtf8(content, WECOM_MAX_BYTES) } };
}

export interface WecomReply {
  errcode: number;
  errmsg?: string;
}

export function parseWecomReply(text: string): WecomReply | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && typeof (v as WecomReply).errcode === 'number') return v as WecomReply;
  } catch {
    // not JSON: treated as a failed send by the caller
  }
  return undefined;
}
