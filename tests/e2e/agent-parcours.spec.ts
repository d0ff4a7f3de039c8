import { expect, type Page, test } from '@playwright/test';
import { addDays, formatDay, zonedInstant } from '../../src/lib/format.ts';
import { agentPage, irPremiere, origin, PARIS, signIn, today } from './agent-support.ts';
import {
  BOURGES_NORD,
  BOURGES_SUD,
  bookShownDay,
  earliestExterieur,
  freeDaysShown,
  lastMonth,
  openParcoursSlots,
  PLAISIR,
} from './parcours-support.ts';
import {
  expectNoAxeViolation,
  expectNoHorizontalScroll,
  NEVERS,
  NEVERS_NAME,
  openHydrated,
} from './support.ts';

const SEARCH = '/agent/recherche-services';
const DGE_NAME = 'DIRECTION DES GRANDES ENTREPRISES';
const DRESG_NAME = 'SERVICE DES IMPOTS DES PARTICULIERS NON RESIDENTS';

const main = (page: Page) => page.getByRole('main');
const row = (page: Page, code: string) => main(page).locator(`tr[data-service="${code}"]`);
const tab = (page: Page, name: string) => main(page).getByRole('tab', { name, exact: true });
const count = (page: Page) => main(page).getByTestId('nombre-resultats');
const unique = (tag: string) =>
  `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();

/** The rdv of a code as the Nevers agenda shows it (agent.nevers), with its guichet's name. */
async function neversRdv(page: Page, day: string, code: string) {
  const agenda = await (
    await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${day}&to=${day}`)
  ).json();
  const rdv = agenda.rdvs.find((r: { code: string }) => r.code === code);
  expect(rdv, `rdv ${code} dans l’agenda du ${day}`).toBeTruthy();
  const guichet = agenda.guichets.find((g: { id: number }) => g.id === rdv.guichetId);
  return { ...rdv, guichet: guichet.name as string };
}

test('Rechercher les services : les quatre onglets, au clavier, les critères dans l’adresse (agent.bourges)', async ({
  page,
}) => {
  await signIn(page, 'agent.bourges');
  await openHydrated(page, SEARCH);
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Rechercher les services');
  await expect(tab(page, 'Recherche par adresse en France')).toHaveAttribute('aria-selected', 'true');

  // Par adresse: the required fields said in French, then the SIP of the address.
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  const summary = main(page).getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('La voie est obligatoire');
  await expect(summary).toContainText('Le code postal est obligatoire.');
  await main(page).getByLabel('Voie (n°, BTQ, type, libellé)').fill('19 rue Camille Baynac');
  await main(page).getByLabel('Code postal').fill('58000');
  await main(page).getByRole('radio', { name: 'SIP', exact: true }).check({ force: true });
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(count(page)).toHaveText('1 service trouvé');
  await expect(page).toHaveURL(/onglet=adresse&voie=19\+rue\+Camille\+Baynac&cp=58000&types=SIP&chercher=1/);
  await expect(main(page).getByText('Types de service : SIP')).toBeVisible();
  // Nevers lets agents extérieurs book: "Prendre RDV", but no agenda for an agent of Bourges.
  await expect(row(page, NEVERS).getByRole('rowheader')).toHaveText(NEVERS_NAME);
  await expect(row(page, NEVERS).getByRole('link', { name: /^Prendre RDV/ })).toHaveAttribute(
    'href',
    `/agent/services/${NEVERS}/parcours`,
  );
  await expect(row(page, NEVERS).getByRole('link', { name: /^Ouvrir l’agenda/ })).toHaveCount(0);
  // Every type: the SIP, the SIE and the CDIF of the address.
  await main(page).getByRole('radio', { name: 'Tous', exact: true }).check({ force: true });
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(main(page).getByText('Types de service : Tous')).toBeVisible();
  await expect(main(page).locator('tbody tr')).toHaveCount(3);

  // The tabs follow the keyboard (arrows, Home, End), the selected one alone in the tab order.
  await tab(page, 'Recherche par adresse en France').focus();
  await page.keyboard.press('ArrowRight');
  const dge = tab(page, 'Professionnels gérés par la DGE');
  await expect(dge).toBeFocused();
  await expect(dge).toHaveAttribute('aria-selected', 'true');
  await expect(dge).toHaveAttribute('tabindex', '0');
  await expect(tab(page, 'Recherche par adresse en France')).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('End');
  await expect(tab(page, 'Recherche par SAGES ou CODIQUE')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(tab(page, 'Recherche par adresse en France')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(tab(page, 'Recherche par SAGES ou CODIQUE')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(tab(page, 'Services des résidents à l’étranger (DRESG)')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(dge).toBeFocused();

  // DGE: a SIREN whose key is wrong is refused before sending; a right one finds the DGE.
  const siren = main(page).getByLabel('SIREN de l’entreprise');
  await siren.fill('732829321');
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(main(page).getByRole('alert')).toContainText('clé de contrôle');
  await siren.fill('732 829 320');
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(count(page)).toHaveText('1 service trouvé');
  await expect(main(page).locator('tbody th')).toHaveText(DGE_NAME);
  await expect(main(page).getByText('Professionnels gérés par la DGE — SIREN : 732829320')).toBeVisible();

  // DRESG: no criterion.
  await tab(page, 'Services des résidents à l’étranger (DRESG)').click();
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(main(page).locator('tbody th')).toHaveText(DRESG_NAME);
  await expect(page).toHaveURL(/onglet=dresg&chercher=1/);

  // SAGES (7 digits) and CODIQUE (6 digits).
  await tab(page, 'Recherche par SAGES ou CODIQUE').click();
  const code = main(page).getByLabel('Code SAGES ou CODIQUE');
  await code.fill('12345');
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(main(page).getByRole('alert')).toContainText('SAGES (7 chiffres)');
  await code.fill(BOURGES_NORD);
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(
    main(page).getByText(`Votre recherche a porté sur le code suivant : Code SAGES : ${BOURGES_NORD}`),
  ).toBeVisible();
  // His own office: the agenda and the parcours.
  await expect(row(page, BOURGES_NORD).getByRole('link', { name: /^Ouvrir l’agenda/ })).toBeVisible();
  await expect(row(page, BOURGES_NORD).getByRole('link', { name: /^Prendre RDV/ })).toBeVisible();
  await code.fill('058019');
  await main(page).getByRole('button', { name: 'Rechercher' }).click();
  await expect(main(page).getByText('Code CODIQUE : 058019')).toBeVisible();
  await expect(row(page, NEVERS)).toBeVisible();

  // The criteria are the page's address: a reload runs the same search.
  await page.reload();
  await expect(tab(page, 'Recherche par SAGES ou CODIQUE')).toHaveAttribute('aria-selected', 'true');
  await expect(main(page).getByLabel('Code SAGES ou CODIQUE')).toHaveValue('058019');
  await expect(row(page, NEVERS)).toBeVisible();
  await main(page).getByRole('link', { name: 'Modifier les critères de recherche' }).click();
  await expect(main(page).getByLabel('Code SAGES ou CODIQUE')).toBeFocused();
});

test('un service qui n’ouvre pas la prise de RDV aux agents extérieurs : ni « Prendre RDV », ni parcours (agent.nevers)', async ({
  page,
}) => {
  await signIn(page, 'agent.nevers');
  await openHydrated(page, `${SEARCH}?onglet=code&code=${NEVERS}&chercher=1`);
  await expect(row(page, NEVERS).getByRole('link', { name: /^Ouvrir l’agenda/ })).toBeVisible();
  await expect(row(page, NEVERS).getByRole('link', { name: /^Prendre RDV/ })).toBeVisible();
  await openHydrated(page, `${SEARCH}?onglet=code&code=${BOURGES_SUD}&chercher=1`);
  await expect(row(page, BOURGES_SUD)).toBeVisible();
  await expect(row(page, BOURGES_SUD).getByRole('link')).toHaveText(['Consulter le détail']);
  // Typed by hand, the parcours explains the refusal in French.
  await openHydrated(page, `/agent/services/${BOURGES_SUD}/parcours`);
  await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Prise de rendez-vous impossible');
  await expect(main(page)).toContainText(
    'n’ouvre pas la prise de rendez-vous aux agents extérieurs au service',
  );
});

test('agent.bourges prend RDV à Plaisir seulement quand Plaisir ouvre ses guichets aux agents extérieurs', async ({
  browser,
}) => {
  const admin = await agentPage(browser, 'admin');
  const config = await (await admin.page.request.get(`/api/v1/agent/services/${PLAISIR}/config`)).json();
  const guichet = config.guichets.find((g: { name: string }) => g.name === 'Guichet principal');
  const setBookableBy = async (bookableBy: string[]) => {
    const res = await admin.page.request.patch(`/api/v1/agent/services/${PLAISIR}/guichets/${guichet.id}`, {
      headers: origin(),
      data: { bookableBy, decision: 'keep' },
    });
    expect(res.status(), await res.text()).toBe(200);
  };
  const { page } = await agentPage(browser, 'agent.bourges');
  await setBookableBy(guichet.bookableBy.filter((c: string) => c !== 'agentExterieur'));
  try {
    await openHydrated(page, `${SEARCH}?onglet=code&code=${PLAISIR}&chercher=1`);
    await expect(row(page, PLAISIR)).toBeVisible();
    await expect(row(page, PLAISIR).getByRole('link', { name: /^Prendre RDV/ })).toHaveCount(0);
    await openHydrated(page, `/agent/services/${PLAISIR}/parcours`);
    await expect(main(page).getByRole('heading', { level: 1 })).toHaveText('Prise de rendez-vous impossible');
    await expect(main(page)).toContainText('agents extérieurs');
  } finally {
    await setBookableBy(guichet.bookableBy);
  }
  await openHydrated(page, `${SEARCH}?onglet=code&code=${PLAISIR}&chercher=1`);
  await row(page, PLAISIR)
    .getByRole('link', { name: /^Prendre RDV/ })
    .click();
  await expect(main(page).getByTestId('periode')).toContainText('Agent extérieur au service');
  await admin.context.close();
});

test('agent.bourges prend RDV à Nevers dans la seule période des agents extérieurs, sur un guichet qui leur est ouvert', async ({
  browser,
}) => {
  const { page } = await agentPage(browser, 'agent.bourges');
  const before = earliestExterieur();
  await openParcoursSlots(page, NEVERS);
  const earliest = [before, earliestExterieur()];
  await expect(main(page).getByTestId('periode')).toContainText(
    new RegExp(
      `Agent extérieur au service : vous pouvez prendre un rendez-vous du (${earliest.map(formatDay).join('|')})`,
    ),
  );
  // The calendar opens on the first free day's month: none before the day after 2 working days.
  const shown = await freeDaysShown(page);
  expect(shown[0]! >= earliest[0]!, `premier jour proposé ${shown[0]} ≥ ${earliest[0]}`).toBe(true);
  expect(shown[0]! <= addDays(earliest[1]!, 7), 'un jour proposé dans la première semaine').toBe(true);

  const nom = unique('Exterieur');
  const booked = await bookShownDay(page, (days) => days[Math.min(2, days.length - 1)]!, nom);
  expect(booked.day >= earliest[0]!).toBe(true);
  // No fiche for an agent extérieur: he finds it again with its code and the usager's name.
  await expect(main(page).getByRole('link', { name: 'Consulter le détail du RDV' })).toHaveCount(0);
  await expect(main(page)).toContainText('par un agent extérieur au service');

  const nevers = await agentPage(browser, 'agent.nevers');
  const rdv = await neversRdv(nevers.page, booked.day, booked.code);
  expect(rdv).toMatchObject({ canal: 'agentExterieur', start: booked.start, guichet: 'Guichet principal' });
  expect(Date.parse(rdv.end) - Date.parse(rdv.start)).toBe(20 * 60_000);
  await nevers.context.close();
});

test('agent.nevers prend RDV dans ses 60 jours, au-delà des 30 jours des usagers, puis ouvre la fiche', async ({
  page,
}) => {
  await signIn(page, 'agent.nevers');
  const before = today();
  await openParcoursSlots(page, NEVERS);
  // Read on both sides of the page's load: a test near midnight sees either day.
  const ends = [before, today()].map((d) => formatDay(addDays(d, 60)));
  await expect(main(page).getByTestId('periode')).toContainText(
    new RegExp(`dès aujourd’hui et jusqu’au (${ends.join('|')}) \\(60 jours glissants\\)`),
  );
  await lastMonth(page);
  const last = (await freeDaysShown(page)).at(-1)!;
  expect(last > addDays(today(), 30), `${last} au-delà des 30 jours des usagers`).toBe(true);
  expect(last <= addDays(today(), 60), `${last} dans les 60 jours`).toBe(true);

  const nom = unique('Service');
  const booked = await bookShownDay(page, (days) => days.at(-1)!, nom);
  await main(page).getByRole('link', { name: 'Consulter le détail du RDV' }).click();
  await expect(main(page).getByRole('heading', { level: 1 })).toContainText(
    `Informations du RDV n°${booked.code}`,
  );
  const rdv = await neversRdv(page, booked.day, booked.code);
  expect(rdv.canal).toBe('agentService');
});

test('personne ne force le parcours : aucun champ de forçage, et l’API refuse horaires, guichet et acquittements', async ({
  browser,
}) => {
  const { page } = await agentPage(browser, 'agent.nevers');
  await openParcoursSlots(page, NEVERS);
  await main(page).locator('button.jour.libre').last().click();
  const slot = main(page).locator('ul.heures button').last();
  const start = (await slot.getAttribute('data-start')) as string;
  await slot.click();
  // The usager's step: no guichet, no time, no duration, nothing to acknowledge.
  await expect(main(page).getByRole('heading', { name: 'L’utilisateur', exact: true })).toBeVisible();
  for (const field of ['Guichet', 'Heure de début', 'Heure de fin', 'Date du RDV'])
    await expect(main(page).getByLabel(field, { exact: true })).toHaveCount(0);
  await expect(main(page).getByRole('button', { name: 'Enregistrer quand même' })).toHaveCount(0);

  const motif = await irPremiere(page.request);
  const body = {
    motifId: motif,
    type: 'physique',
    start,
    usager: {
      type: 'particulier',
      civilite: 'M',
      nomUsage: 'Force',
      prenoms: 'Paul',
      telephones: ['0612345678'],
    },
    precisions: 'forçage',
  };
  const post = (p: Page, data: object) =>
    p.request.post(`/api/v1/agent/services/${NEVERS}/parcours/rdvs`, { headers: origin(), data });
  const forced = await post(page, { ...body, end: start, acknowledge: ['OUTSIDE_PLAGES'] });
  expect(forced.status()).toBe(422);
  expect((await forced.json()).detail).toMatch(/ne permet pas de forcer/);
  // Off the grid (a quarter past) is no offered slot.
  const offGrid = await post(page, { ...body, start: start.replace(/:(\d\d):00/, ':05:00') });
  expect(offGrid.status()).toBe(409);

  // An agent extérieur: nothing offered before his window, and nothing booked there.
  const bourges = await agentPage(browser, 'agent.bourges');
  const dayBefore = addDays(earliestExterieur(), -1);
  const soon = await (
    await bourges.page.request.get(
      `/api/v1/agent/services/${NEVERS}/parcours/slots?motif=${motif}&type=physique&from=${today()}&to=${dayBefore}`,
    )
  ).json();
  expect(soon.days).toEqual([]);
  const early = await post(bourges.page, { ...body, start: zonedInstant(dayBefore, '09:10', PARIS) });
  expect([409, 422], await early.text()).toContain(early.status());
  const refused = await post(bourges.page, { ...body, guichetId: 1, acknowledge: ['OUTSIDE_PLAGES'] });
  expect(refused.status()).toBe(422);
  await bourges.context.close();
});

for (const width of [1280, 360]) {
  test.describe(`à ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('axe-core : chaque onglet de la recherche et chaque étape du parcours, sans défilement horizontal', async ({
      page,
    }) => {
      // A dozen axe-core runs on two shared cores.
      test.setTimeout(120_000);
      const check = async (where: string) => {
        await expectNoAxeViolation(page, `${where} (${width} px)`);
        await expectNoHorizontalScroll(page, `${where} (${width} px)`);
      };
      await signIn(page, 'agent.nevers');
      await openHydrated(page, SEARCH);
      await check('recherche par adresse');
      await main(page).getByRole('button', { name: 'Rechercher' }).click();
      await expect(main(page).getByRole('alert')).toBeVisible();
      await check('recherche par adresse, erreurs');
      await openHydrated(
        page,
        `${SEARCH}?onglet=adresse&voie=19+rue+Camille+Baynac&cp=58000&types=TOUS&chercher=1`,
      );
      await expect(main(page).locator('tbody tr')).toHaveCount(3);
      await check('recherche par adresse, résultats');
      await tab(page, 'Professionnels gérés par la DGE').click();
      await check('onglet DGE');
      await tab(page, 'Services des résidents à l’étranger (DRESG)').click();
      await check('onglet DRESG');
      await tab(page, 'Recherche par SAGES ou CODIQUE').click();
      await check('onglet SAGES ou CODIQUE');

      await openHydrated(page, `/agent/services/${NEVERS}/parcours`);
      await check('parcours : motif et type');
      await main(page).getByRole('button', { name: 'Rechercher un créneau disponible' }).click();
      await expect(main(page).getByRole('alert')).toBeFocused();
      await check('parcours : motif et type, erreurs');
      await openParcoursSlots(page, NEVERS);
      await lastMonth(page);
      await main(page).locator('button.jour.libre').last().click();
      await expect(main(page).locator('ul.heures button').first()).toBeVisible();
      await check('parcours : créneau');
      await main(page).locator('ul.heures button').last().click();
      await main(page).getByRole('button', { name: 'Valider le RDV' }).click();
      await expect(main(page).getByRole('alert')).toBeFocused();
      await check('parcours : usager, erreurs');
      await main(page).getByRole('button', { name: 'Changer de créneau' }).click();
      const booked = await bookShownDay(page, (days) => days.at(-1)!, unique(`Axe${width}`));
      expect(booked.code).toMatch(/^[A-Z]{6}$/);
      await check('parcours : confirmation');
    });
  });
}
