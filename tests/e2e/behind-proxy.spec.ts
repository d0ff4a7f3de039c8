import { expect, test } from '@playwright/test';

/*
 * The second e2e server runs as production does behind one proxy (playwright.config.ts):
 * TRUST_PROXY=1, an https public address, the default limits (60 office searches a minute per
 * address). Requests come from 127.0.0.1 with the X-Forwarded-For the proxy would write.
 */
const base = process.env.E2E_BEHIND_PROXY_URL!;
const RESULT_PAGE =
  '/contact?vous=particulier&n1=part-dossier&n2=part-dossier-calcul&n3=part-dossier-calcul-ir&voie=19+rue+Camille+Baynac&cp=58000';
const run = Math.random().toString(36).slice(2, 8);
const LIMITED = /Trop de demandes/;

test('70 visiteurs de 70 adresses chargent la page de résultats sans être limités (le rendu serveur passe leur adresse)', async ({
  request,
}) => {
  test.setTimeout(120_000);
  for (let i = 0; i < 70; i++) {
    const res = await request.get(`${base}${RESULT_PAGE}`, {
      headers: { 'x-forwarded-for': `198.18.${i}.${run.length}-${run}` },
    });
    expect(res.status()).toBe(200);
    const html = await res.text();
    expect(html, `visiteur ${i}`).not.toMatch(LIMITED);
    expect(html, `visiteur ${i}`).toContain('SERVICE IMPOTS PARTICULIERS NEVERS');
  }
});

test('un même visiteur reste limité, même en écrivant lui-même de faux premiers relais', async ({
  request,
}) => {
  test.setTimeout(120_000);
  let limited = 0;
  for (let i = 0; i < 64; i++) {
    const res = await request.get(`${base}${RESULT_PAGE}`, {
      // The client wrote the first hop; the proxy appended his real address.
      headers: { 'x-forwarded-for': `10.${i}.0.1, 198.19.0.1-${run}` },
    });
    if (LIMITED.test(await res.text())) limited++;
  }
  expect(limited).toBe(4);
});

test('HSTS quand l’adresse publique est en https, sur les pages comme sur l’API', async ({ request }) => {
  for (const path of ['/', '/healthz', '/api/v1/services/5800450']) {
    const res = await request.get(`${base}${path}`);
    expect(res.headers()['strict-transport-security'], path).toMatch(/^max-age=\d{8,}/);
  }
});

test('la boîte aux lettres de démonstration n’est pas servie à un visiteur distant', async ({ request }) => {
  const remote = { 'x-forwarded-for': `203.0.113.10-${run}` };
  expect((await request.get(`${base}/api/dev/mails`, { headers: remote })).status()).toBe(404);
  expect((await request.get(`${base}/dev/mails`, { headers: remote })).status()).toBe(404);
  // From this machine (the proxy says the client is local), the demo shows it.
  const local = await request.get(`${base}/dev/mails`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
  expect(local.status()).toBe(200);
});
