/**
 * After a client-side navigation the new page's heading takes focus, so keyboard and screen-reader
 * users start at the top of the new content; on the first load focus stays where the browser put it.
 */
let pending = false;

export function markNavigation(): void {
  pending = true;
}

export function consumeNavigationFocus(): boolean {
  const p = pending;
  pending = false;
  return p;
}
