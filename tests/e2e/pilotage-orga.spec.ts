import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { agentPage, origin } from './agent-support.ts';
import { expectNoAxeViolation, expectNoHorizontalScroll, NEVERS, openHydrated } from './support.ts';

/*
 * Pilotage (issue 10): "Organiser le service", "Administration", the first password, and the
 * statistics as charts with their tables. Tests that change profiles use agents of their own: the
 * demo's agents are shared with the parallel tests.
 */

const unique = (tag: string) => `${tag}.${randomUUID().slice(0, 8)}`;
const firstPassword = () => `premier-${randomUUID()}`;

/** Creates an agent through the API as the demo's administrateur. */
async function createAgent(
  request: APIRequestContext,
  login: string,
  password: string,
  habilitations: { code: string; profile: 'consultation' | 'agent' | 'chef' }[] = [],
) {
  const res = await request.post('/api/v1/agent/agents', {
    data: { login, name: `Agent ${login}`, password, habilitations },
    headers: origin(),
  });
  expect(res.status(), await res.text()).toBe(201);
}

const organisationPath = `/agent/services/${NEVERS}/organisation`;

test('chef.nevers rattache un agent, change son profil, le retire, et ne peut pas retirer le dernier chef', async ({
  browser,
}) => {
  const admin = await agentPage(browser, 'admin');
  const login = unique('orga');
  await createAgent(admin.page.request, login, firstPassword());

  const { page } = await agentPage(browser, 'chef.nevers');
  await openHydrated(page, organisationPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Organiser le service');
  const main = page.getByRole('main');

  // Rattacher un agent existant par son identifiant.
  await main.getByLabel(/^Identifiant de l’agent/).fill(login);
  await main.getByLabel('Profil', { exact: true }).selectOption('agent');
  await main.getByRole('button', { name: 'Rattacher l’agent' }).click();
  await expect(
    main.getByText(`L’agent ${login} est rattaché au service avec le profil « Agent ».`),
  ).toBeVisible();
  const row = main.locator(`tr[data-agent="${login}"]`);
  await expect(row).toBeVisible();

  // Changer son profil.
  await row.getByRole('combobox').selectOption('consultation');
  await row.getByRole('button', { name: /^Modifier le profil/ }).click();
  await expect(main.getByText(/est maintenant « Consultation »/)).toBeVisible();
  await expect(row.getByRole('combobox')).toHaveValue('consultation');
  const team = await (await page.request.get(`/api/v1/agent/services/${NEVERS}/agents`)).json();
  expect(team.agents.find((a: { login: string }) => a.login === login).profile).toBe('consultation');

  // Le dernier chef : refusé, avec le message de l'API. Only when chef.nevers is indeed the only
  // chef (no test makes another one), so that this test can never take Nevers' chef away.
  const chefs = team.agents.filter((a: { profile: string }) => a.profile === 'chef');
  expect(chefs.map((a: { login: string }) => a.login)).toEqual(['chef.nevers']);
  const chefRow = main.locator('tr[data-agent="chef.nevers"]');
  await chefRow.getByRole('button', { name: /^Retirer .* du service$/ }).click();
  await expect(chefRow.getByRole('button', { name: /^Confirmer le retrait de/ })).toBeFocused();
  await chefRow.getByRole('button', { name: /^Confirmer le retrait de/ }).click();
  const refusal = main.getByRole('alert').filter({ hasText: 'Modification refusée' });
  await expect(refusal).toContainText('C’est le dernier chef de ce service : nommez d’abord un autre chef');
  await expect(refusal).toBeFocused();
  await expect(chefRow).toBeVisible();
  await chefRow.getByRole('combobox').selectOption('agent');
  await chefRow.getByRole('button', { name: /^Modifier le profil/ }).click();
  await expect(refusal).toContainText('C’est le dernier chef de ce service');
  await expect(chefRow.getByRole('combobox')).toHaveValue('chef');

  // Retirer l'agent du service : on renonce d'abord (le focus revient au bouton), puis on confirme.
  await row.getByRole('button', { name: /^Retirer .* du service$/ }).click();
  await row.getByRole('button', { name: /^Ne pas retirer/ }).click();
  await expect(row.getByRole('button', { name: /^Retirer .* du service$/ })).toBeFocused();
  await row.getByRole('button', { name: /^Retirer .* du service$/ }).click();
  await expect(row.getByRole('button', { name: /^Confirmer le retrait de/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(main.getByText(`Agent ${login} (${login}) n’est plus rattaché au service.`)).toBeVisible();
  await expect(row).toHaveCount(0);
});

test('l’administrateur crée un agent avec un premier mot de passe ; à sa connexion il le change, puis arrive au tableau de bord', async ({
  browser,
}) => {
  const { page } = await agentPage(browser, 'admin');
  await openHydrated(page, '/agent');
  await page
    .getByRole('navigation', { name: 'Menu de l’espace agents' })
    .getByRole('link', { name: 'Administration' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
  const form = page.getByRole('form', { name: 'Créer un agent' });
  const login = unique('nouvel');
  const given = firstPassword();
  await form.getByLabel(/^Identifiant/).fill(login);
  await form.getByLabel(/^Nom et prénom/).fill('Camille Nouvelle');
  await form.getByLabel(/^Premier mot de passe/).fill(given);
  await form.getByLabel('Code du service 1').fill(NEVERS);
  await form.getByLabel('Profil dans le service 1').selectOption('agent');
  await form.getByRole('button', { name: 'Créer l’agent' }).click();
  await expect(page.getByText(`L’agent ${login} a été créé`)).toBeVisible();

  const context = await browser.newContext();
  const newcomer = await context.newPage();
  await openHydrated(newcomer, '/agent/connexion');
  await newcomer.getByRole('textbox', { name: 'Identifiant' }).fill(login);
  await newcomer.getByLabel('Mot de passe', { exact: true }).fill(given);
  await newcomer.getByRole('button', { name: 'Se connecter' }).click();
  await expect(newcomer).toHaveURL(/\/agent\/mot-de-passe$/);
  await expect(
    newcomer.getByText('Choisissez votre mot de passe : celui qui vous a été donné'),
  ).toBeVisible();
  // Every other page of the space sends him back here until it is changed.
  await openHydrated(newcomer, `/agent/services/${NEVERS}/agenda`);
  await expect(newcomer).toHaveURL(/\/agent\/mot-de-passe$/);
  await expect(newcomer.getByRole('navigation', { name: 'Menu de l’espace agents' })).toHaveCount(0);

  const main = newcomer.getByRole('main');
  await main.getByLabel(/^Mot de passe reçu/).fill(given);
  await main.getByLabel(/^Nouveau mot de passe/).fill('court');
  await main.getByLabel(/^Confirmation du nouveau mot de passe/).fill('autre');
  await main.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  const summary = main.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Le nouveau mot de passe comporte 12 caractères au moins.');
  const chosen = `ma phrase de passe ${randomUUID().slice(0, 6)}`;
  await main.getByLabel(/^Nouveau mot de passe/).fill(chosen);
  await main.getByLabel(/^Confirmation du nouveau mot de passe/).fill(chosen);
  await main.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await expect(newcomer).toHaveURL(/\/agent$/);
  await expect(newcomer.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord des services');
  await expect(newcomer.getByRole('row', { name: /SERVICE IMPOTS PARTICULIERS NEVERS/ })).toBeVisible();
  await expect(newcomer.getByRole('navigation', { name: 'Menu de l’espace agents' })).toBeVisible();
  await context.close();
});

/** The chart `name` is shown (its SVG loaded) with its table; returns the table's "Total" row. */
async function expectChart(page: Page, name: string, title: string) {
  const img = page.locator(`img[data-chart="${name}"]`);
  await img.scrollIntoViewIfNeeded();
  await expect(img).toBeVisible();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
    .toBeGreaterThan(0);
  const table = page.getByRole('table', { name: `Données du graphique « ${title} »` });
  await expect(table).toBeVisible();
  const svg = await page.request.get((await img.getAttribute('src')) ?? '');
  expect(svg.status()).toBe(200);
  expect(svg.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
  return { table, svg: await svg.text() };
}

test('chef.nevers lit les statistiques de Nevers puis les statistiques consolidées : graphiques, tableaux, export CSV', async ({
  browser,
}) => {
  const { page } = await agentPage(browser, 'chef.nevers');
  await openHydrated(page, '/agent');
  await page
    .getByRole('link', { name: /^Voir les statistiques — SERVICE IMPOTS PARTICULIERS NEVERS/ })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistiques du service');
  const main = page.getByRole('main');
  await main.getByRole('radio', { name: 'Par semaine' }).check({ force: true });
  await main.getByRole('button', { name: 'Afficher les statistiques' }).click();
  await expect(page).toHaveURL(/par=semaine/);
  await expect(main.getByText(/^Statistiques du .*, par semaine\.$/)).toBeVisible();

  const { table, svg } = await expectChart(page, 'canal', 'RDV pris par canal');
  // The chart says the table's figures: the total by internet, in its description.
  const internet = await table
    .getByRole('row', { name: /^Total/ })
    .getByRole('cell')
    .first()
    .textContent();
  expect(svg).toContain(`Par internet : ${internet?.replace(/\s/g, '')}`);
  for (const [name, title] of [
    ['motifs', 'RDV pris par motif'],
    ['presence', 'RDV honorés et non honorés'],
    ['occupation', 'Taux d’occupation des guichets'],
  ] as const)
    await expectChart(page, name, title);

  const csv = await page.request.get(
    (await main.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')) ?? '',
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(await csv.text()).toContain('RDV pris;Par internet');

  await page
    .getByRole('navigation', { name: 'Menu de l’espace agents' })
    .getByRole('link', { name: 'Statistiques consolidées' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Statistiques consolidées');
  await expect(main.getByText(/— 1 service\.$/)).toBeVisible();
  await expectChart(page, 'annulations', 'RDV annulés, selon l’origine');
  const all = await page.request.get(
    (await main.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')) ?? '',
  );
  expect(all.headers()['content-type']).toBe('text/csv; charset=utf-8');
});

test('réservé : un agent n’organise pas le service et n’en voit pas les statistiques ; un chef n’administre pas', async ({
  browser,
}) => {
  const { page } = await agentPage(browser, 'agent.nevers');
  for (const path of [organisationPath, `/agent/services/${NEVERS}/statistiques`]) {
    await openHydrated(page, path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
    await expect(
      page.getByText('Cette fonction est réservée au chef de service (ou à un administrateur).'),
    ).toBeVisible();
  }
  const chef = (await agentPage(browser, 'chef.nevers')).page;
  await openHydrated(chef, '/agent');
  await expect(chef.getByRole('navigation', { name: 'Menu de l’espace agents' })).not.toContainText(
    'Administration',
  );
  await openHydrated(chef, '/agent/administration');
  await expect(chef.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
  await expect(chef.getByText('réservée aux administrateurs')).toBeVisible();
});

for (const width of [1280, 360]) {
  test.describe(`à ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('organisation, administration, mot de passe et statistiques : aucune violation axe-core, pas de défilement horizontal', async ({
      browser,
    }) => {
      test.setTimeout(90_000);
      const viewport = { width, height: 900 };
      const check = async (page: Page, where: string) => {
        await expectNoAxeViolation(page, `${where} (${width} px)`);
        await expectNoHorizontalScroll(page, `${where} (${width} px)`);
      };
      const chef = (await agentPage(browser, 'chef.nevers', viewport)).page;
      await openHydrated(chef, organisationPath);
      await expect(chef.locator('tr[data-agent="chef.nevers"]')).toBeVisible();
      await check(chef, 'organiser le service');
      await chef.getByRole('button', { name: 'Rattacher l’agent' }).click();
      await expect(chef.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toBeFocused();
      await check(chef, 'organiser le service avec erreurs');

      await openHydrated(chef, '/agent/mot-de-passe');
      await chef.getByRole('button', { name: 'Changer mon mot de passe' }).click();
      await expect(chef.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toBeFocused();
      await check(chef, 'mot de passe avec erreurs');

      await openHydrated(chef, `/agent/services/${NEVERS}/statistiques`);
      await expect(chef.locator('img[data-chart="canal"]')).toBeVisible();
      await check(chef, 'statistiques du service');
      await openHydrated(chef, '/agent/statistiques?du=2026-12-01&au=2026-11-01');
      await expect(chef.getByRole('alert')).toContainText('La date de fin doit suivre la date de début.');
      await check(chef, 'statistiques consolidées, période invalide');
      await openHydrated(chef, '/agent/statistiques');
      await expect(chef.locator('img[data-chart="canal"]')).toBeVisible();
      await check(chef, 'statistiques consolidées');

      const admin = (await agentPage(browser, 'admin', viewport)).page;
      await openHydrated(admin, '/agent/administration');
      await check(admin, 'administration');
      await admin.getByRole('button', { name: 'Créer l’agent' }).click();
      await admin.getByRole('button', { name: 'Créer le service' }).click();
      await expect(admin.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toHaveCount(2);
      await check(admin, 'administration avec erreurs');
    });
  });
}
