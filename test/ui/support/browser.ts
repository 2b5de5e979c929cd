import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SCREENSHOT_DIR = join(ROOT, 'test-artifacts', 'screenshots');

/** Debian's Chromium, headless, driven by playwright-core (ENVIRONMENT.md: the flags that work here). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PINEBRIDGE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot under test-artifacts/screenshots/ (gitignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects page errors and console errors: a test asserts there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * A screenshot a person may be shown: first checks that no secret (webhook secret, control
 * token, exchange keys) is anywhere in the page's text or input values, then saves it at the
 * page's viewport into `dir`. Throws, naming the secret's kind, when one is visible.
 */
export async function safeScreenshot(page: Page, dir: string, name: string, secrets: Record<string, string>): Promise<string> {
  // A string, run in the page: this file is type-checked without the DOM library.
  const text = await page.evaluate<string>(
    "document.body.innerText + '\\n' + [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\\n')",
  );
  for (const [kind, value] of Object.entries(secrets)) {
    if (value && text.includes(value)) throw new Error(`screenshot ${name}: the page shows the ${kind}`);
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
