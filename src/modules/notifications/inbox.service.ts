import type { Config } from '../../config.js';
import type { Actor } from '../../lib/auth/actor.js';
import { AppError } from '../../lib/errors.js';
import { findUserById } from '../accounts/accounts.service.js';
import type { Language } from '../accounts/language.js';
import { EVENTS, type EventSpec, type EventType } from './events.js';
import {
  countUnread,
  listInbox,
  markAllRead,
  markRead,
  type NotificationRecord,
} from './notifications.repository.js';
import { findPreferences } from './preferences.repository.js';
import { renderMessage } from './templates.js';

/** The inbox: a user's own notifications, read and marked read. */

export async function presentNotification(n: NotificationRecord, lang: Language, publicUrl: string) {
  const message = await renderMessage(
    { type: n.type as EventType, data: n.data, lang, publicUrl },
    'markdown',
  );
  const spec = EVENTS[n.type as EventType] as EventSpec | undefined;
  return {
    id: n.id,
    type: n.type,
    title: message.title,
    body: message.body,
    link: spec ? `${publicUrl.replace(/\/$/, '')}${spec.link(n.data)}` : null,
    data: n.data,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

async function languageOfUser(userId: string): Promise<Language> {
  const [user, prefs] = await Promise.all([findUserById(userId), findPreferences([userId])]);
  return prefs.get(userId)?.language ?? user?.language ?? 'zh-CN';
}

export async function listMyNotifications(
  config: Config,
  actor: Actor,
  q: { unread?: boolean; cursor?: string; limit: number },
) {
  const [page, unread, lang] = await Promise.all([
    listInbox(actor.userId, q),
    countUnread(actor.userId),
    languageOfUser(actor.userId),
  ]);
  const items = await Promise.all(page.items.map((n) => presentNotification(n, lang, config.http.publicUrl)));
  return { items, nextCursor: page.nextCursor, total: page.total, unreadCount: unread };
}

const notificationNotFound = () =>
  new AppError('not_found', { detail: '通知不存在', detailEn: 'No such notification' });

export async function markMyNotificationRead(config: Config, actor: Actor, id: string) {
  const n = await markRead(actor.userId, id, new Date());
  if (!n) throw notificationNotFound();
  return presentNotification(n, await languageOfUser(actor.userId), config.http.publicUrl);
}

export async function markAllMyNotificationsRead(actor: Actor) {
  const updated = await markAllRead(actor.userId, new Date());
  return { updated, unreadCount: await countUnread(actor.userId) };
}
