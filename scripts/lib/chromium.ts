import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium (scripts/browser.sh installs it): browser downloads fail on these machines. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, with the flags a closed network needs (no background calls home). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
