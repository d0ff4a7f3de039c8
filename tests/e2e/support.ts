import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** The demo service of the seed: SIP Nevers. */
export const NEVERS = '5800450';
export const NEVERS_NAME = 'SERVICE IMPOTS PARTICULIERS NEVERS';
export const IR = "Déclaration et calcul de l'impôt sur le revenu";
export const IR_PREMIERE = 'Première déclaration de revenus';

/** The demo's overseas office: SIP Saint-Denis (La Réunion, UTC+4), plages 07:30–12:00 local. */
export const REUNION = '9791401';

/**
 * Waits until the page's scripts have hydrated it (root +layout.svelte sets `<html data-hydrated>`).
 * Before that the page is the server's HTML: a click that needs a script may be lost.
 */
export async function waitForHydration(page: Page) {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
}

/** Opens a page and waits until its scripts run: for every test that clicks what needs them. */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
}

/** WCAG 2.1 A and AA violations on the page as it is now. */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}

export async function expectNoAxeViolation(page: Page, where: string) {
  expect(await axeViolations(page), `axe-core : ${where}`).toEqual([]);
}

export async function expectNoHorizontalScroll(page: Page, where: string) {
  const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
  const viewport = page.viewportSize()?.width ?? 0;
  expect(width, `largeur défilable (${where})`).toBeLessThanOrEqual(viewport);
}

/**
 * Counts the JS and CSS the page downloads from now on, as transferred (compressed), with the cache
 * disabled: the returned object fills in as responses finish.
 */
export async function trackWeight(page: Page) {
  const sizes = { js: 0, css: 0 };
  const client = await page.context().newCDPSession(page);
  await client.send('Network.enable');
  await client.send('Network.setCacheDisabled', { cacheDisabled: true });
  const types = new Map<string, string>();
  client.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  client.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId);
    if (type === 'Script') sizes.js += e.encodedDataLength;
    if (type === 'Stylesheet') sizes.css += e.encodedDataLength;
  });
  return sizes;
}

/** A byte count in kilobytes, as the weight tests print it. */
export const kb = (n: number) => `${(n / 1024).toFixed(1)} ko`;

/** Presses Tab (or Shift+Tab) until `target` has the focus: proves it is reachable by keyboard. */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { max?: number; backwards?: boolean } = {},
) {
  const max = options.max ?? 80;
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  await expect(target, `atteint au clavier en ${max} tabulations au plus`).toBeFocused();
}

/** Within a radio group that has the focus, presses an arrow until `target` is focused and checked. */
export async function arrowTo(page: Page, target: Locator, max = 15) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(target).toBeFocused();
  if (!(await target.isChecked())) await page.keyboard.press('Space');
  await expect(target).toBeChecked();
}

export type CapturedMail = {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** `text`: the content of text attachments (the .ics), as the mailbox of serve.ts gives it. */
  attachments: { filename: string; contentType: string; text?: string }[];
};

/** The UID of the (first) event of an iCalendar text, lines unfolded (RFC 5545 §3.1). */
export function icsUid(ics: string): string | undefined {
  return /^UID:(.*)$/m.exec(ics.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim();
}

/** The emails the e2e SMTP server (tests/e2e/serve.ts) received for `address`, waiting for at least one. */
export async function mailsTo(address: string, timeoutMs = 20_000): Promise<CapturedMail[]> {
  const url = `http://127.0.0.1:${process.env.E2E_MAILBOX_PORT}/mails`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { mails } = (await (await fetch(url)).json()) as { mails: CapturedMail[] };
    const mine = mails.filter((m) => m.to.includes(address.toLowerCase()));
    if (mine.length > 0 || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A unique email per test run, so parallel tests read their own mail. */
export const uniqueEmail = (tag: string) =>
  `${tag}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@exemple.fr`;
