import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRdvLink } from '../../server/domain/signed-link.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';

let plain: TestServer;
let https: TestServer;

beforeAll(async () => {
  plain = await startTestServer();
  https = await startTestServer({ env: { PUBLIC_URL: 'https://rdv.example.gouv.fr' } });
});
afterAll(async () => {
  await plain.close();
  await https.close();
});

describe('security headers of the API', () => {
  it('every answer: nosniff, a referrer policy, a CSP that forbids framing; no HSTS over http', async () => {
    for (const path of ['/api/v1/services/5800450', '/api/openapi.json', '/api/docs', '/api/v1/nowhere']) {
      const res = await fetch(`${plain.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('content-security-policy'), path).not.toMatch(/script-src/);
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('answers that carry a token or personal data are never stored nor referred', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/rdvs/self-service?code=ABCDEF&token=faux'],
      ['GET', '/api/v1/rdvs/self-service/ics?code=ABCDEF&token=faux'],
      ['POST', '/api/v1/rdvs'],
      ['GET', '/api/dev/mails'],
    ] as const) {
      const res = await fetch(`${plain.url}${path}`, { method });
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('HSTS when the public address is https', async () => {
    const res = await fetch(`${https.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}/);
  });
});

describe('no secret from the source code', () => {
  it('without SIGNING_SECRET, a random secret is made once and shared by every node of the database', async () => {
    const secret = plain.deps.secrets.signing;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(https.deps.secrets.signing).toBe(secret);
    const [row] = await plain.deps.sql<
      { value: string }[]
    >`select value from app_secrets where name = 'signing'`;
    expect(row!.value).toBe(secret);
    // A link signed on one node verifies on the other: emails stay valid across restarts and nodes.
    const token = signRdvLink(secret, { id: 1, code: 'ABCDEF' });
    expect(signRdvLink(https.deps.secrets.signing, { id: 1, code: 'ABCDEF' })).toBe(token);
  });

  it('SIGNING_SECRET still overrides it', async () => {
    const own = await startTestServer({ env: { SIGNING_SECRET: 's'.repeat(48) } });
    try {
      expect(own.deps.secrets.signing).toBe('s'.repeat(48));
    } finally {
      await own.close();
    }
  });
});
