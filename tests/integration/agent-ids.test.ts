import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { type agentClient, createAgent, signIn } from '../helpers/agents.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';

/*
 * Ids are PostgreSQL integers: a number beyond 2 147 483 647 in a path, a query or a body once
 * reached a query and failed there (22003, numeric value out of range) as a 500. Every id the API
 * parses goes through one schema that refuses it first, in French.
 */
const clock = fixedClock(new Date('2026-12-03T09:00:00+01:00'));
const HUGE = 3_000_000_000;
let server: TestServer;
let svc: ServiceFixture;
let admin: ReturnType<typeof agentClient>;

beforeAll(async () => {
  server = await startTestServer({ clock });
  svc = await createService(server.deps.sql, { code: '9831001' });
  const a = await createAgent(server.deps.sql, { name: 'admin', administrateur: true });
  admin = await signIn(server, a.login);
});
afterAll(() => server.close());

const cursor = (start: number, id: number) => Buffer.from(JSON.stringify([start, id])).toString('base64url');
const later = { start: '2026-12-04T10:00:00+01:00', end: '2026-12-04T10:20:00+01:00' };

type Case = [string, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', () => string, (() => unknown)?];
const CASES: Case[] = [
  ['fiche RDV', 'GET', () => `/api/v1/agent/rdvs/${HUGE}`],
  ['annulation', 'POST', () => `/api/v1/agent/rdvs/${HUGE}/cancel`],
  ['arrivée', 'POST', () => `/api/v1/agent/rdvs/${HUGE}/arrival`, () => ({ arrived: true })],
  [
    'profil d’un agent',
    'PUT',
    () => `/api/v1/agent/services/${svc.code}/agents/${HUGE}`,
    () => ({ profile: 'agent' }),
  ],
  ['retrait d’un agent', 'DELETE', () => `/api/v1/agent/services/${svc.code}/agents/${HUGE}`],
  ['guichet', 'PATCH', () => `/api/v1/agent/services/${svc.code}/guichets/${HUGE}`, () => ({ open: false })],
  ['suppression de fermeture', 'DELETE', () => `/api/v1/agent/services/${svc.code}/fermetures/${HUGE}`],
  [
    'fermeture d’un guichet',
    'POST',
    () => `/api/v1/agent/services/${svc.code}/fermetures`,
    () => ({ guichetId: HUGE, ...later, reason: 'Travaux' }),
  ],
  [
    'copie de semaine',
    'POST',
    () => `/api/v1/agent/services/${svc.code}/guichets/${svc.guichetIds[0]}/copy-week`,
    () => ({ toGuichetId: HUGE }),
  ],
  [
    'créneaux du parcours simplifié',
    'GET',
    () =>
      `/api/v1/agent/services/${svc.code}/parcours/slots?motif=${HUGE}&type=physique&from=2026-12-08&to=2026-12-09`,
  ],
  [
    'liste des RDV (curseur)',
    'GET',
    () => `/api/v1/agent/rdvs?from=2026-12-01&to=2026-12-31&cursor=${cursor(Date.now(), HUGE)}`,
  ],
  [
    'liste des RDV (curseur hors du calendrier)',
    'GET',
    () => `/api/v1/agent/rdvs?from=2026-12-01&to=2026-12-31&cursor=${cursor(1e300, 1)}`,
  ],
  [
    'créneaux publics',
    'GET',
    () => `/api/v1/services/${svc.code}/slots?motif=${HUGE}&type=physique&from=2026-12-08&to=2026-12-09`,
  ],
  [
    'réservation temporaire',
    'POST',
    () => '/api/v1/holds',
    () => ({ serviceCode: svc.code, motifId: HUGE, type: 'physique', start: '2026-12-08T09:00:00+01:00' }),
  ],
];

describe('an id beyond PostgreSQL’s integers', () => {
  for (const [name, method, path, body] of CASES) {
    it(`${name}: a French problem, never a 500`, async () => {
      const res = await admin.call(path(), {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body()) }),
      });
      const text = await res.text();
      expect([404, 422], text).toContain(res.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(text);
      expect(problem.detail).toMatch(/[éèàù’]|\b(de|du|la|le|les|ce|cet)\b/i);
    });
  }
});
