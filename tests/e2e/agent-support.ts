import { randomUUID } from 'node:crypto';
import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { addDays, localDay, zonedInstant } from '../../src/lib/format.ts';
import { IR, IR_PREMIERE, NEVERS, openHydrated } from './support.ts';

/** The demo's agents (db/seed/demo.ts), all with the same password. */
export const PASSWORD = 'guichet-demo';
export const PARIS = 'Europe/Paris';

export const baseURL = () => test.info().project.use.baseURL as string;
/** Cookie-authenticated writes must come from our origin, as browsers send it. */
export const origin = () => ({ origin: baseURL() });

export const today = () => localDay(new Date(), PARIS);

/** Signs the page's browser context in through the API (the cookie lands in the context). */
export async function signIn(page: Page, login: string): Promise<void> {
  const res = await page.request.post('/api/v1/auth/login', {
    data: { login, password: PASSWORD },
    headers: origin(),
  });
  expect(res.status(), `connexion de ${login}`).toBe(200);
}

/** A new browser context signed in as `login`, with one page. */
export async function agentPage(
  browser: Browser,
  login: string,
  viewport?: { width: number; height: number },
) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await signIn(page, login);
  return { context, page };
}

export const agendaPath = (date: string, view: 'jour' | 'semaine' = 'jour') =>
  `/agent/services/${NEVERS}/agenda?date=${date}&vue=${view}`;

/** Opens the Nevers agenda and waits until it is live (the room joined, the range loaded). */
export async function openAgenda(page: Page, date: string, view: 'jour' | 'semaine' = 'jour') {
  await openHydrated(page, agendaPath(date, view));
  await expect(page.getByTestId('direct')).toHaveText('En direct', { timeout: 15_000 });
  await expect(page.getByText('Chargement de l’agenda…')).toHaveCount(0);
}

/** The id of the IR "Première déclaration" motif at Nevers, which Guichet principal offers online. */
export async function irPremiere(request: APIRequestContext): Promise<number> {
  const card = await (await request.get(`/api/v1/services/${NEVERS}`)).json();
  const ir = card.motifs.find((m: { label: string }) => m.label === IR);
  return ir.children.find((c: { label: string }) => c.label === IR_PREMIERE).id;
}

/** The free online slots at the counter between two local days. */
export async function freeSlots(request: APIRequestContext, from: string, to: string) {
  const motif = await irPremiere(request);
  const res = await request.get(
    `/api/v1/services/${NEVERS}/slots?motif=${motif}&type=physique&from=${from}&to=${to}`,
  );
  expect(res.ok()).toBe(true);
  const { days } = (await res.json()) as { days: { date: string; slots: { start: string }[] }[] };
  return { motif, slots: days.flatMap((d) => d.slots.map((s) => s.start)) };
}

async function solvedCaptcha(request: APIRequestContext): Promise<string> {
  const challenge = await (await request.get('/api/v1/captcha')).json();
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

export const citizen = (n: number) => ({
  type: 'particulier',
  civilite: 'MME',
  nomUsage: `Citoyenne${n}`,
  prenoms: 'Alice',
  telephones: ['0612345678'],
});

/**
 * A citizen books `start` through the public API, as the wizard does: hold, captcha, booking.
 * Resolves when the 201 arrives, with its time (Date.now(), the clock the page shares), or null
 * when the slot was taken meanwhile (parallel tests book too).
 */
export async function bookOnline(
  request: APIRequestContext,
  motifId: number,
  start: string,
  n = 1,
): Promise<{ code: string; at: number } | null> {
  const hold = await request.post('/api/v1/holds', {
    data: { serviceCode: NEVERS, motifId, type: 'physique', start },
  });
  if (hold.status() === 409) return null;
  expect(hold.status(), await hold.text()).toBe(201);
  const { holdId } = await hold.json();
  const captcha = await solvedCaptcha(request);
  const res = await request.post('/api/v1/rdvs', {
    data: { holdId, usager: citizen(n), precisions: 'Réservé par le test e2e', captcha },
    headers: { 'idempotency-key': randomUUID() },
  });
  const at = Date.now();
  if (res.status() === 409 || res.status() === 410) return null;
  expect(res.status(), await res.text()).toBe(201);
  return { code: (await res.json()).code, at };
}

/**
 * An rdv of today booked by an agent through the API, a few minutes from now (today is the only
 * day its arrival can be flagged), every warning acknowledged. In the last quarter of an hour of
 * the day, when the test could not end before midnight, it waits for the new day (never skips).
 */
export async function rdvToday(
  page: Page,
  guichetName = 'Guichet n°2',
): Promise<{ id: number; code: string }> {
  const minutesNow = () => {
    const time = localTimeOf(new Date());
    return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  };
  if (minutesNow() > 23 * 60 + 45) {
    const day = today();
    test.setTimeout(test.info().timeout + 20 * 60_000);
    await expect.poll(today, { timeout: 16 * 60_000, intervals: [5_000] }).not.toBe(day);
  }
  const minutes = minutesNow();
  const agenda = await (
    await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${today()}&to=${today()}`)
  ).json();
  const guichet = agenda.guichets.find((g: { name: string }) => g.name === guichetName);
  const motifId = agenda.motifs[0].id;
  // Five-minute rdvs from the next 5-minute mark: parallel tests take the next ones.
  for (let m = Math.ceil((minutes + 2) / 5) * 5; m + 5 < 24 * 60; m += 5) {
    const at = (x: number) =>
      `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
    const res = await page.request.post(`/api/v1/agent/services/${NEVERS}/rdvs`, {
      headers: origin(),
      data: {
        guichetId: guichet.id,
        motifId,
        type: 'physique',
        start: zonedInstant(today(), at(m), PARIS),
        end: zonedInstant(today(), at(m + 5), PARIS),
        usager: citizen(m),
        precisions: 'Arrivée à annoter',
        acknowledge: ['OUTSIDE_PLAGES', 'DURATION_DIFFERS', 'USAGER_HAS_FUTURE_RDV'],
      },
    });
    if (res.status() === 201) return res.json();
    expect([409, 422], await res.text()).toContain(res.status());
  }
  throw new Error('aucun créneau libre aujourd’hui');
}

const localTimeOf = (d: Date) =>
  new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: PARIS }).format(d);

/** A working day at least `n` days ahead (Monday to Friday). */
export function workingDayAhead(n: number): string {
  let d = addDays(today(), n);
  while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}

/** The Monday of a day's week. */
export function mondayOf(day: string): string {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, w === 0 ? -6 : 1 - w);
}

/** A citizen's open slot picker (the public wizard) on `day`, counter rdvs of the IR motif. */
export async function citizenWatchesDay(page: Page, day: string): Promise<void> {
  await openHydrated(page, `/services/${NEVERS}/rendez-vous`);
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: IR, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: IR_PREMIERE, exact: true }).check({ force: true });
  await main.getByRole('radio', { name: 'au guichet', exact: true }).check({ force: true });
  await main.getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
  await expect(main.locator('button.jour.libre').first()).toBeVisible();
  const target = main.locator(`button[data-day="${day}"]`);
  for (let i = 0; i < 3 && !(await target.isVisible()); i++)
    await main.getByRole('button', { name: /^Suivant/ }).click();
  await target.click();
  await expect(main.locator('ul.heures button').first()).toBeVisible();
}

/** The rdv id behind a code, from the agenda API of its day (as the agenda's links carry it). */
export async function rdvIdOf(page: Page, day: string, code: string): Promise<number> {
  const agenda = await (
    await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${day}&to=${day}`)
  ).json();
  const rdv = agenda.rdvs.find((r: { code: string }) => r.code === code);
  expect(rdv, `rdv ${code} dans l’agenda du ${day}`).toBeTruthy();
  return rdv.id;
}
