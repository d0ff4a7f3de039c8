import { randomUUID } from 'node:crypto';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture, usager } from '../helpers/fixtures.ts';

const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let server: TestServer;
let svc: ServiceFixture;
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${randomUUID()}`;
const me = address();

beforeAll(async () => {
  server = await startTestServer({
    clock,
    redis: !!inject('redisUrl'),
    env: {
      CAPTCHA_REQUIRED: 'true',
      CAPTCHA_COST: '1',
      RATE_LIMIT_HOLDS_PER_MINUTE: '1000',
      RATE_LIMIT_BOOKINGS_PER_HOUR: '1000',
      RATE_LIMIT_SLOTS_PER_MINUTE: '5',
      RATE_LIMIT_SEARCH_PER_MINUTE: '3',
      // Each suite's requests come from addresses of their own: counters are shared by the run.
      TRUST_PROXY: 'true',
    },
  });
  svc = await createService(server.deps.sql, { code: '9950001' });
});
afterAll(() => server.close());

/** Over real HTTP: the client address comes from the socket and the proxy's X-Forwarded-For. */
const call = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

async function solvedCaptcha(): Promise<string> {
  const challenge = await (await call('/api/v1/captcha', { headers: { 'x-forwarded-for': me } })).json();
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

// The owner cookie of each hold: a booking comes from the browser that placed it.
const owners = new Map<string, string>();

async function hold(start: string, cookie?: string) {
  const res = await call('/api/v1/holds', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': me, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
  });
  const body = await res.json();
  const owner = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
  if (owner && body.holdId) owners.set(body.holdId, owner);
  return { res, body, cookie: owner };
}

function book(holdId: string, captcha: string | undefined, key: string = randomUUID()) {
  const cookie = owners.get(holdId);
  return call('/api/v1/rdvs', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      'x-forwarded-for': me,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({ holdId, usager: usager(1), precisions: 'captcha', captcha }),
  });
}

describe('captcha', () => {
  it('refuses a booking without a solved captcha, in French, on the captcha field', async () => {
    const { body } = await hold('2026-12-08T09:10:00+01:00');
    for (const captcha of [
      undefined,
      'bidon',
      Buffer.from('{"challenge":{},"solution":{}}').toString('base64'),
    ]) {
      const res = await book(body.holdId, captcha);
      expect(res.status).toBe(422);
      const problem = await res.json();
      expect(problem.errors).toEqual([{ field: 'captcha', message: expect.stringMatching(/robot/) }]);
    }
  });

  it('accepts a solved captcha once, and refuses its replay', async () => {
    const captcha = await solvedCaptcha();
    const first = await hold('2026-12-08T09:30:00+01:00');
    expect((await book(first.body.holdId, captcha)).status).toBe(201);
    const second = await hold('2026-12-08T09:50:00+01:00');
    expect((await book(second.body.holdId, captcha)).status).toBe(422);
  });

  it('two identical retries in flight at once get the same 201 and one rdv, the captcha used once', async () => {
    const captcha = await solvedCaptcha();
    const { body } = await hold('2026-12-10T09:10:00+01:00');
    const key = randomUUID();
    const answers = await Promise.all([book(body.holdId, captcha, key), book(body.holdId, captcha, key)]);
    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    const [a, b] = await Promise.all(answers.map((r) => r.json()));
    expect(b.code).toBe(a.code);
    const [{ n }] = (await server.deps.sql`
      select count(*)::int as n from rdvs where service_id = ${svc.serviceId} and active
        and lower(during) = '2026-12-10T09:10:00+01:00'`) as unknown as [{ n: number }];
    expect(n).toBe(1);
    // Used once: another booking cannot reuse it.
    const next = await hold('2026-12-10T09:30:00+01:00');
    expect((await book(next.body.holdId, captcha)).status).toBe(422);
  });

  it('keeps the captcha of a booking that fails, for the next attempt', async () => {
    const captcha = await solvedCaptcha();
    const mine = await hold('2026-12-10T10:10:00+01:00');
    // Somebody else books the same slot first (the hold expired and another browser took it).
    clock.advance(11 * 60_000);
    const theirs = await hold('2026-12-10T10:10:00+01:00');
    expect(theirs.res.status).toBe(201);
    expect((await book(theirs.body.holdId, await solvedCaptcha())).status).toBe(201);
    const lost = await book(mine.body.holdId, captcha);
    expect(lost.status).toBe(409);
    const again = await hold('2026-12-10T10:30:00+01:00');
    expect((await book(again.body.holdId, captcha)).status).toBe(201);
  });

  it('refuses a challenge signed with another secret', async () => {
    const challenge = await (await call('/api/v1/captcha', { headers: { 'x-forwarded-for': me } })).json();
    challenge.parameters.nonce = 'ffffffffffffffffffffffffffffffff';
    const solution = await solveChallenge({ challenge, deriveKey });
    const forged = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
    const { body } = await hold('2026-12-08T10:10:00+01:00');
    expect((await book(body.holdId, forged)).status).toBe(422);
  });
});

describe('one active hold per browser', () => {
  it('releases the previous hold of the same browser, not those of others', async () => {
    const a = await hold('2026-12-09T08:30:00+01:00');
    expect(a.res.status).toBe(201);
    expect(a.cookie).toMatch(/^guichet_titulaire=/);
    const other = await hold('2026-12-09T09:10:00+01:00'); // another browser (no cookie)
    const b = await hold('2026-12-09T08:50:00+01:00', a.cookie);
    expect(b.res.status).toBe(201);
    const res = await call(
      `/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=2026-12-09&to=2026-12-09`,
    );
    const starts = (await res.json()).days[0].slots.map((s: { start: string }) => s.start);
    expect(starts).toContain('2026-12-09T08:30:00+01:00'); // released
    expect(starts).not.toContain('2026-12-09T08:50:00+01:00'); // held by the same browser
    expect(starts).not.toContain('2026-12-09T09:10:00+01:00'); // held by another browser
    expect(other.res.status).toBe(201);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the limit, per address', async () => {
    const url = `/api/v1/services/${svc.code}/slots?motif=${svc.motifId}&type=physique&from=2026-12-10&to=2026-12-10`;
    const busy = address();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 8; i++) {
      last = await call(url, { headers: { 'x-forwarded-for': `forged-${i}, ${busy}` } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const problem = await last!.json();
    expect(problem).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(problem.detail).toMatch(/Réessayez dans \d+ seconde/);
    // Another address is not affected.
    expect((await call(url, { headers: { 'x-forwarded-for': address() } })).status).toBe(200);
  });

  it('limits office searches too', async () => {
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call('/api/v1/services?street=19%20rue%20Camille%20Baynac&postcode=58000&kind=SIP', {
        headers: { 'x-forwarded-for': from },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
