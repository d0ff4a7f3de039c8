import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenContactReasons } from '../../db/seed/contact-reasons.ts';
import { seedDemo } from '../../db/seed/load-demo.ts';
import { seedReferential } from '../../db/seed/load-referential.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';

type Reason = {
  id: string;
  label: string;
  children: Reason[];
  faq?: { question: string; answer?: string; url?: string }[];
  onlineProcedure?: { label: string; url: string } | null;
  serviceKinds?: string[];
  motifCode?: string | null;
  abroad?: boolean;
};
type Card = {
  code: string;
  name: string;
  kind: string;
  bookableOnline: boolean;
  competences: string[];
} & Record<string, unknown>;

let server: TestServer;
let api: TestServer['api'];

beforeAll(async () => {
  server = await startTestServer();
  api = server.api;
  await seedDemo(server.deps.sql, new Date(), { production: false });
});
afterAll(() => server.close());

const get = async (path: string) => {
  const res = await api.request(path);
  return { res, body: await res.json() };
};

const pick = (reasons: Reason[], ...labels: string[]): Reason => {
  let node: Reason | undefined;
  let level = reasons;
  for (const label of labels) {
    node = level.find((r) => r.label === label);
    if (!node) throw new Error(`« ${label} » absent parmi : ${level.map((r) => r.label).join(', ')}`);
    level = node.children;
  }
  return node!;
};

const leaves = (reasons: Reason[]): Reason[] =>
  reasons.flatMap((r) => (r.children.length ? leaves(r.children) : [r]));

describe('GET /api/v1/contact-reasons', () => {
  it('gives the reference cascade for a particulier, down to the IR leaf with FAQ, messagerie and SIP', async () => {
    const { res, body } = await get('/api/v1/contact-reasons?audience=particulier');
    expect(res.status).toBe(200);
    expect(body.audience).toBe('particulier');
    expect(body.levels).toEqual(['Votre demande concerne', 'Au sujet de', 'Plus précisément']);
    expect(body.reasons.map((r: Reason) => r.label)).toEqual([
      'Une question technique',
      'Une question fiscale d’ordre général',
      'Vous êtes domicilié hors de France',
      'Votre dossier fiscal',
    ]);
    const dossier = pick(body.reasons, 'Votre dossier fiscal');
    expect(dossier.children.map((r) => r.label)).toEqual([
      'Une copie d’avis d’impôt',
      'Le paiement de vos impôts',
      'Le calcul de vos impôts',
      'Autres',
    ]);
    // Branches carry nothing but their children.
    expect(dossier).not.toHaveProperty('serviceKinds');
    expect(dossier).not.toHaveProperty('faq');
    const calcul = pick(body.reasons, 'Votre dossier fiscal', 'Le calcul de vos impôts');
    expect(calcul.children.map((r) => r.label)).toEqual([
      'Votre impôt sur le revenu/prélèvements sociaux',
      'Votre taxe d’habitation/contribution à l’audiovisuel',
      'Votre taxe foncière',
      'Votre impôt sur la fortune',
      'Un contentieux',
    ]);
    const ir = pick(calcul.children, 'Votre impôt sur le revenu/prélèvements sociaux');
    expect(ir).toMatchObject({
      id: 'part-dossier-calcul-ir',
      children: [],
      serviceKinds: ['SIP'],
      motifCode: 'SIP-IR',
      abroad: false,
      onlineProcedure: { label: 'Nous contacter par la messagerie sécurisée' },
    });
    expect(ir.onlineProcedure!.url).toMatch(/^https:\/\/.*impots\.gouv\.fr\//);
    expect(ir.faq!.map((f) => f.question)).toEqual([
      'Je paye pour la première fois de l’impôt sur le revenu. Comment dois-je faire ?',
      'Questions sur la déclaration des revenus pour un particulier',
    ]);
    for (const f of ir.faq!) expect(f.answer ?? f.url).toBeTruthy();
    expect(pick(calcul.children, 'Votre taxe foncière').serviceKinds).toEqual(['SIP', 'CDIF']);
  });

  it('gives every leaf what the page needs, and sends non-residents to the DRESG', async () => {
    const { body } = await get('/api/v1/contact-reasons?audience=particulier');
    for (const leaf of leaves(body.reasons)) {
      expect(leaf.serviceKinds!.length, leaf.id).toBeGreaterThan(0);
      expect(leaf.faq!.length, leaf.id).toBeGreaterThan(0);
      expect(leaf).toHaveProperty('onlineProcedure');
    }
    const abroad = leaves([pick(body.reasons, 'Vous êtes domicilié hors de France')]);
    expect(abroad.length).toBeGreaterThan(0);
    for (const leaf of abroad) expect(leaf).toMatchObject({ abroad: true, serviceKinds: ['DRESG'] });
  });

  it('gives professionnels their own tree (TVA, CFE, IS, paiement; SIE, CDIF, DGE)', async () => {
    const { res, body } = await get('/api/v1/contact-reasons?audience=professionnel');
    expect(res.status).toBe(200);
    expect(body.audience).toBe('professionnel');
    const all = leaves(body.reasons);
    const ids = all.map((r) => r.id);
    expect(ids.every((id) => id.startsWith('pro-'))).toBe(true);
    const dossier = pick(body.reasons, 'Votre dossier fiscal');
    expect(dossier.children.map((r) => r.label)).toEqual(
      expect.arrayContaining([
        'La TVA',
        'La cotisation foncière des entreprises (CFE)',
        'L’impôt sur les sociétés et les bénéfices',
        'Le paiement de vos impôts',
      ]),
    );
    expect(pick(dossier.children, 'La cotisation foncière des entreprises (CFE)')).toMatchObject({
      serviceKinds: ['SIE'],
      motifCode: 'SIE-CFE',
    });
    const kinds = new Set(all.flatMap((r) => r.serviceKinds!));
    expect([...kinds].sort()).toEqual(['CDIF', 'DGE', 'DRESG', 'SIE']);
  });

  it.each([
    ['/api/v1/contact-reasons?audience=entreprise', 'audience'],
    ['/api/v1/contact-reasons', 'audience'],
    ['/api/v1/contact-reasons?audience=%27%3B%20drop%20table%20contact_reasons%3B--', 'audience'],
  ])('answers 422 in French for %s', async (path, field) => {
    const { res, body } = await get(path);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual([
      { field, message: 'Le public doit être « particulier » ou « professionnel ».' },
    ]);
  });

  it('is loaded with the referential: a second load is skipped, and matches the data module', async () => {
    const again = await seedReferential(server.deps.sql);
    expect(again.skipped).toBe(true);
    expect(again.contactReasons).toBe(flattenContactReasons().length);
  });

  it('reloads only the cascade when its version changes, without touching the communes', async () => {
    const sql = server.deps.sql;
    await sql`update contact_reasons set label = 'altéré' where code = 'part-dossier-calcul-ir'`;
    await sql`delete from referential_versions where name = 'contact-reasons'`;
    const [before] = await sql<
      { loadedAt: Date }[]
    >`select loaded_at from referential_versions where name = 'referential'`;
    const messages: string[] = [];
    const started = performance.now();
    const reload = await seedReferential(sql, (m) => messages.push(m));
    expect(reload.skipped).toBe(false);
    expect(messages).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1500);
    const [after] = await sql<
      { loadedAt: Date }[]
    >`select loaded_at from referential_versions where name = 'referential'`;
    expect(after!.loadedAt).toEqual(before!.loadedAt);
    const [ir] = await sql<
      { label: string }[]
    >`select label from contact_reasons where code = 'part-dossier-calcul-ir'`;
    expect(ir!.label).toBe('Votre impôt sur le revenu/prélèvements sociaux');
    expect((await seedReferential(sql)).skipped).toBe(true);
  });
});

describe('GET /api/v1/services (by address)', () => {
  it('finds SIP Nevers for 19 rue Camille Baynac, 58000, bookable online', async () => {
    const { res, body } = await get(
      '/api/v1/services?street=19%20rue%20Camille%20Baynac&postcode=58000&kind=SIP',
    );
    expect(res.status).toBe(200);
    expect(body.message).toBeUndefined();
    expect(body.services).toHaveLength(1);
    const [nevers] = body.services as Card[];
    expect(nevers).toMatchObject({
      code: '5800450',
      codeAssocie: '058019',
      name: 'SERVICE IMPOTS PARTICULIERS NEVERS',
      kind: 'SIP',
      address: { street: '19 RUE CAMILLE BAYNAC', postcode: '58015', city: 'NEVERS CEDEX' },
      phone: '03 86 68 49 49',
      email: 'sip.nevers@dgfip.finances.gouv.fr',
      bookableOnline: true,
      competences: ['SIP'],
    });
    // 58000 is shared by four communes, all in SIP Nevers's area; the locality narrows the list.
    expect(nevers!.communes).toEqual(expect.arrayContaining(['Nevers', 'Challuy']));
    const withCity = await get(
      '/api/v1/services?street=19%20rue%20Camille%20Baynac&postcode=58000&city=NEVERS&kind=SIP',
    );
    expect((withCity.body.services as Card[]).map((s) => s.communes)).toEqual([['Nevers']]);
    // The same card as GET /services/:code, plus why this office answers.
    const { body: card } = await get('/api/v1/services/5800450');
    expect({ ...nevers, competences: undefined, communes: undefined }).toEqual({
      ...card,
      competences: undefined,
      communes: undefined,
    });
  });

  it('gives every fiscal office of the address without kind or with Tous, never SPL or amende', async () => {
    for (const suffix of ['', '&kind=Tous', '&kind=tous']) {
      const { res, body } = await get(
        `/api/v1/services?street=19%20rue%20Camille%20Baynac&postcode=58000${suffix}`,
      );
      expect(res.status).toBe(200);
      const kinds = (body.services as Card[]).flatMap((s) => s.competences);
      expect(kinds).toEqual(['SIP', 'SIE', 'CDIF']);
      expect((body.services as Card[]).some((s) => ['SPL', 'AMENDE'].includes(s.kind))).toBe(false);
    }
  });

  it('filters by one or several kinds, "SIP-CDIF" standing for SIP ou CDIF', async () => {
    const kindsOf = async (kind: string) => {
      const { res, body } = await get(
        `/api/v1/services?street=1%20rue%20du%20Commerce&postcode=58000&kind=${kind}`,
      );
      expect(res.status).toBe(200);
      return (body.services as Card[]).flatMap((s) => s.competences);
    };
    expect(await kindsOf('SIE')).toEqual(['SIE']);
    expect(await kindsOf('SIP,CDIF')).toEqual(['SIP', 'CDIF']);
    expect(await kindsOf('SIP-CDIF')).toEqual(['SIP', 'CDIF']);
    expect(await kindsOf('sip,%20sie')).toEqual(['SIP', 'SIE']);
  });

  it('splits Caen by street: Délivrande → Caen Nord, another street → Caen Sud, an unknown one too', async () => {
    const sip = async (street: string) => {
      const { res, body } = await get(
        `/api/v1/services?street=${encodeURIComponent(street)}&postcode=14000&city=Caen&kind=SIP`,
      );
      expect(res.status).toBe(200);
      return (body.services as Card[]).map((s) => s.name);
    };
    expect(await sip('145 rue de la Délivrande')).toEqual(['SERVICE IMPOTS PARTICULIERS CAEN NORD']);
    expect(await sip('145 RUE DE LA DELIVRANDE')).toEqual(['SERVICE IMPOTS PARTICULIERS CAEN NORD']);
    expect(await sip('12 rue Saint-Jean')).toEqual(['SERVICE IMPOTS PARTICULIERS CAEN SUD']);
    expect(await sip('3 impasse qui n’existe pas')).toEqual(['SERVICE IMPOTS PARTICULIERS CAEN SUD']);
  });

  it('answers an unknown postcode with no office and a French message', async () => {
    const { res, body } = await get('/api/v1/services?street=1%20rue%20de%20Nulle%20Part&postcode=99999');
    expect(res.status).toBe(200);
    expect(body).toEqual({ services: [], message: 'Aucune commune ne correspond au code postal 99999.' });
  });

  it('says so when the commune has no office of the asked kind', async () => {
    const { res, body } = await get(
      '/api/v1/services?street=1%20rue%20du%20Commerce&postcode=58000&kind=TRESORERIE',
    );
    expect(res.status).toBe(200);
    expect(body.services).toEqual([]);
    expect(body.message).toBe('Aucun service de ce type n’est compétent pour cette adresse.');
  });

  it('answers 422 listing every missing field, in French', async () => {
    const { res, body } = await get('/api/v1/services?kind=SIP');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'postcode', message: 'Le code postal est obligatoire.' },
        { field: 'street', message: 'La voie (numéro, type, libellé) est obligatoire.' },
      ]),
    );
    const blank = await get('/api/v1/services?street=19%20rue%20Camille%20Baynac&postcode=%20%20');
    expect(blank.res.status).toBe(422);
    expect(blank.body.errors).toEqual([{ field: 'postcode', message: 'Le code postal est obligatoire.' }]);
  });

  it.each([
    ['a 4-digit postcode', 'postcode=5800&street=x', 'postcode', /5 chiffres/],
    ['letters in the postcode', 'postcode=58OOO&street=x', 'postcode', /5 chiffres/],
    ['SPL (found by code only)', 'postcode=58000&street=x&kind=SPL', 'kind', /Type de service inconnu/],
    ['AMENDE among others', 'postcode=58000&street=x&kind=SIP,AMENDE', 'kind', /Type de service inconnu/],
    ['a 5,000-character street', `postcode=58000&street=${'a'.repeat(5000)}`, 'street', /200 caractères/],
    ['a 500-character city', `postcode=58000&street=x&city=${'é'.repeat(500)}`, 'city', /100 caractères/],
  ])('answers 422 for %s', async (_label, query, field, message) => {
    const { res, body } = await get(`/api/v1/services?${query}`);
    expect(res.status).toBe(422);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].field).toBe(field);
    expect(body.errors[0].message).toMatch(message);
  });

  it.each([
    "1' OR '1'='1",
    "19 rue Camille Baynac'; drop table services; --",
    '%%%_\\',
    'Œuvre 12 bis Bd de l’Église — à côté',
    '<script>alert(1)</script>',
    '\u0000 nul',
    '🙂🙂🙂',
  ])('never fails on odd input: %s', async (odd) => {
    const q = encodeURIComponent(odd);
    for (const path of [
      `/api/v1/services?street=${q}&postcode=58000&city=${q}`,
      `/api/v1/services?street=${q}&postcode=${q}`,
      `/api/v1/services?street=x&postcode=14000&kind=${q}`,
      `/api/v1/contact-reasons?audience=${q}`,
    ]) {
      const res = await api.request(path);
      expect([200, 422], path).toContain(res.status);
      await res.body?.cancel();
    }
    const { body } = await get(`/api/v1/services?street=${q}&postcode=58000&kind=SIP`);
    expect((body.services as Card[]).map((s) => s.code)).toEqual(['5800450']);
  });
});

describe('national offices', () => {
  it('GET /api/v1/services/dresg gives the DRESG card, for "Vous êtes domicilié hors de France ?"', async () => {
    const { res, body } = await get('/api/v1/services/dresg');
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      kind: 'DRESG',
      name: 'SERVICE DES IMPOTS DES PARTICULIERS NON RESIDENTS',
      competences: ['DRESG'],
      communes: [],
    });
    expect(body.code).toMatch(/^\d{7}$/);
    // The card is the one of GET /services/:code.
    const { body: card } = await get(`/api/v1/services/${body.code}`);
    expect(card.name).toBe(body.name);
  });

  it('GET /api/v1/services/dge gives the DGE card', async () => {
    const { res, body } = await get('/api/v1/services/dge');
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ kind: 'DGE', name: 'DIRECTION DES GRANDES ENTREPRISES' });
  });

  it('kind=DRESG or DGE needs no address; mixed with a sector kind, it does', async () => {
    const dresg = await get('/api/v1/services?kind=DRESG');
    expect(dresg.res.status).toBe(200);
    expect((dresg.body.services as Card[]).map((s) => s.kind)).toEqual(['DRESG']);
    const both = await get('/api/v1/services?kind=SIE,DGE&street=19%20rue%20Camille%20Baynac&postcode=58000');
    expect((both.body.services as Card[]).map((s) => s.competences[0])).toEqual(['SIE', 'DGE']);
    const missing = await get('/api/v1/services?kind=SIP,DRESG');
    expect(missing.res.status).toBe(422);
  });

  it('the other codes still go to GET /services/:code', async () => {
    const { res } = await get('/api/v1/services/abcdefg');
    expect(res.status).toBe(422);
  });
});

describe('OpenAPI', () => {
  it('documents the contact routes', async () => {
    const { body } = await get('/api/openapi.json');
    for (const path of ['/api/v1/contact-reasons', '/api/v1/services', '/api/v1/services/dresg']) {
      expect(body.paths[path], path).toBeDefined();
    }
  });
});
