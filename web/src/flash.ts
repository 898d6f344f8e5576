/** One message carried across a navigation (e.g. "created" shown on the list the form returns to). */
let message: string | null = null;

export function setFlash(text: string): void {
  message = text;
}

export function takeFlash(): string | null {
  const m = message;
  message = null;
  return m;
}
