import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed/load-demo.ts';
import { offlineDocument } from '../../server/cli/openapi.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';

let server: TestServer;
let api: TestServer['api'];

beforeAll(async () => {
  server = await startTestServer();
  api = server.api;
  await seedDemo(server.deps.sql, new Date(), { production: false });
});
afterAll(() => server.close());

describe('health', () => {
  it('GET /healthz answers while the process lives', async () => {
    const res = await api.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz checks the database', async () => {
    const res = await api.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
  });
});

describe('GET /api/v1/services/:code', () => {
  it('gives the Nevers card, bookable online', async () => {
    const res = await api.request('/api/v1/services/5800450');
    expect(res.status).toBe(200);
    const card = await res.json();
    expect(card).toMatchObject({
      code: '5800450',
      codeAssocie: '058019',
      name: 'SERVICE IMPOTS PARTICULIERS NEVERS',
      kind: 'SIP',
      address: { postcode: '58015', city: 'NEVERS CEDEX' },
      phone: '03 86 68 49 49',
      email: 'sip.nevers@dgfip.finances.gouv.fr',
      bookableOnline: true,
      durationMinutes: 20,
    });
    expect(card.address.street).toMatch(/^19 rue camille baynac$/i);
    expect(card.hours).toMatch(/8h30-12h/);
    expect(card.types).toEqual(['physique', 'telephone']);
    const ir = card.motifs.find(
      (m: { label: string }) =>
        m.label === 'Déclaration et calcul de l’impôt sur le revenu' ||
        m.label === "Déclaration et calcul de l'impôt sur le revenu",
    );
    expect(ir?.children).toHaveLength(6);
    expect(ir?.code).toBe('SIP-IR'); // the stable key the contact reasons point to
  });

  it('answers 404 in French problem+json for an unknown code', async () => {
    const res = await api.request('/api/v1/services/0000000');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      title: 'Ressource introuvable',
    });
  });

  it('answers 422 listing the invalid field for a malformed code', async () => {
    const res = await api.request('/api/v1/services/58004');
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors[0]).toMatchObject({ field: 'code' });
    expect(body.errors[0].message).toMatch(/7 chiffres/);
  });

  it('answers 404 problem+json for an unknown API path', async () => {
    const res = await api.request('/api/v1/nulle-part');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('GET /api/openapi.json', () => {
  it('is generated from the validators', async () => {
    const res = await api.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/services/{code}']).toBeDefined();
    for (const path of [
      '/api/v1/services/{code}/slots',
      '/api/v1/holds',
      '/api/v1/rdvs',
      '/api/v1/captcha',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.Usager.properties.telephones).toBeDefined();
  });

  it('is the document the front-end types are generated from (server/cli/openapi.ts, no database)', async () => {
    const served = await (await api.request('/api/openapi.json')).json();
    expect(served).toEqual(JSON.parse(JSON.stringify(offlineDocument())));
  });

  it('is rendered in French at /api/docs, without third-party scripts', async () => {
    const res = await api.request('/api/docs');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('lang="fr"');
    expect(page).toContain('/api/v1/services/{code}/slots');
    expect(page).not.toMatch(/<script/);
  });
});
