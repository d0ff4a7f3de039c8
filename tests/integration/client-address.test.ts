import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

/*
 * The client address behind proxies, and for server-rendered pages. Limits are per address, so
 * what counts as "the address" decides whether an attacker can escape them (by writing
 * X-Forwarded-For himself) and whether honest visitors share a bucket (SSR calls in process).
 */
const clock = fixedClock(new Date('2026-12-03T10:00:00+01:00'));
let oneProxy: TestServer;
let twoProxies: TestServer;
let svc: ServiceFixture;
const run = Math.random().toString(36).slice(2, 8);

const limits = { RATE_LIMIT_HOLDS_PER_MINUTE: '10', RATE_LIMIT_SEARCH_PER_MINUTE: '60' };

beforeAll(async () => {
  oneProxy = await startTestServer({ clock, env: { ...limits, TRUST_PROXY: 'true' } });
  twoProxies = await startTestServer({ clock, env: { ...limits, TRUST_PROXY: '2' } });
  svc = await createService(oneProxy.deps.sql, { code: '9980001' });
});
afterAll(async () => {
  await oneProxy.close();
  await twoProxies.close();
});

async function holdFrom(server: TestServer, forwardedFor: string, i: number) {
  const minutes = 30 + 20 * (i % 9);
  const start = `2026-12-${String(8 + Math.floor(i / 9)).padStart(2, '0')}T${String(8 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+01:00`;
  const res = await fetch(`${server.url}/api/v1/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ serviceCode: svc.code, motifId: svc.motifId, type: 'physique', start }),
  });
  return res.status;
}

describe('TRUST_PROXY: the address the nearest trusted proxy appended', () => {
  it('keeps a client limited whatever first hops he writes himself (1 proxy)', async () => {
    const statuses: number[] = [];
    // The proxy appends the client's real address after whatever the client sent.
    for (let i = 0; i < 15; i++)
      statuses.push(await holdFrom(oneProxy, `10.${i}.0.1, 203.0.113.7-${run}`, i));
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
  });

  it('counts two hops from the right behind two proxies', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(await holdFrom(twoProxies, `forged-${i}, 203.0.113.8-${run}, 10.1.1.1`, 20 + i));
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    // Another client behind the same proxies has a bucket of its own.
    expect(await holdFrom(twoProxies, `203.0.113.9-${run}, 10.1.1.1`, 40)).not.toBe(429);
  });
});

describe('server-rendered pages call the API with the visitor’s own address', () => {
  const search = '/api/v1/services?street=19%20rue%20Camille%20Baynac&postcode=58000&kind=SIP';

  it('70 visitors from 70 addresses are not limited (the in-process env carries each address)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const res = await oneProxy.api.fetch(new Request(`http://localhost${search}`), {
        clientAddress: `198.18.${i}.1-${run}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('one visitor is still limited, and a browser cannot pose as the server', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) {
      const res = await oneProxy.api.fetch(new Request(`http://localhost${search}`), {
        clientAddress: `198.19.0.1-${run}`,
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(60)).toEqual([429, 429]);
    // Over the network, no header sets the in-process address.
    const res = await fetch(`${oneProxy.url}${search}`, {
      headers: { 'x-forwarded-for': `198.19.0.1-${run}`, clientaddress: `1.2.3.4-${run}` },
    });
    expect(res.status).toBe(429);
  });
});
