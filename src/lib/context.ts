import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and every audit record needs to know about the request it belongs to. */
export interface RequestContext {
  requestId: string;
  ip?: string;
  /** Set by the authentication guard once the session is resolved. */
  userId?: string;
  organizationId?: string;
  roles?: readonly string[];
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Adds to the current request's context (the store is one object per request). */
export function extendContext(values: Partial<Omit<RequestContext, 'requestId'>>): void {
  const ctx = storage.getStore();
  if (ctx) Object.assign(ctx, values);
}
