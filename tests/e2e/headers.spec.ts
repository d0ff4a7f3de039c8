import { expect, test } from '@playwright/test';
import { NEVERS } from './support.ts';

/** Every kind of page, and whether it carries a token or personal data. */
const PAGES: [path: string, credentialed: boolean][] = [
  ['/', false],
  ['/contact', false],
  ['/accessibilite', false],
  [`/services/${NEVERS}`, false],
  ['/services/9999999', false],
  [`/services/${NEVERS}/rendez-vous`, true],
  ['/rendez-vous/annuler?code=ABCDEF&jeton=faux', true],
  ['/dev/mails', true],
  ['/agent', true],
  ['/agent/connexion', true],
];

const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? '';

for (const [path, credentialed] of PAGES) {
  test(`en-têtes de sécurité sur ${path}`, async ({ request }) => {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    const csp = h['content-security-policy'] ?? '';
    const scripts = directive(csp, 'script-src');
    expect(scripts, 'script-src').toMatch(/'self'/);
    expect(scripts, 'script-src par nonce').toMatch(/'nonce-[A-Za-z0-9+/=_-]+'/);
    expect(scripts, 'pas de script en ligne non signé').not.toMatch(/unsafe-inline/);
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'worker-src'), 'le travailleur ALTCHA').toMatch(/blob:/);
    expect(h['x-content-type-options']).toBe('nosniff');
    // Plain http here: no HSTS (behind-proxy.spec.ts checks it over https).
    expect(h['strict-transport-security']).toBeUndefined();
    if (credentialed) {
      expect(h['cache-control']).toBe('no-store');
      expect(h['referrer-policy']).toBe('no-referrer');
    } else {
      expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(h['cache-control'] ?? '').not.toMatch(/no-store/);
    }
  });
}

test('le nonce de la page signe son script de démarrage, et la page fonctionne sous cette politique', async ({
  page,
}) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await page.goto(`/services/${NEVERS}`);
  const nonce = /'nonce-([^']+)'/.exec(res?.headers()['content-security-policy'] ?? '')?.[1];
  expect(nonce).toBeTruthy();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', /.*/);
  const inline = await page
    .locator('script:not([src])')
    .evaluateAll((s) => s.map((e) => (e as HTMLScriptElement).nonce));
  expect(inline.length).toBeGreaterThan(0);
  for (const n of inline) expect(n).toBe(nonce);
  expect(violations).toEqual([]);
});
