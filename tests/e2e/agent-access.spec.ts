import { expect, test } from '@playwright/test';
import { agendaPath, agentPage, openAgenda, PASSWORD, signIn, today } from './agent-support.ts';
import { NEVERS, NEVERS_NAME, openHydrated, waitForHydration } from './support.ts';

test('la connexion dit ses erreurs en français, y met le focus, puis ramène à la page demandée', async ({
  page,
}) => {
  await page.goto(agendaPath(today()));
  // Not signed in: to the sign-in page, which remembers where the agent was going.
  await expect(page).toHaveURL(/\/agent\/connexion\?retour=%2Fagent%2Fservices%2F5800450%2Fagenda/);
  await waitForHydration(page);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’espace agents');

  await main.getByRole('button', { name: 'Se connecter' }).click();
  const summary = main.getByRole('alert').filter({ hasText: 'Le formulaire contient 2 erreurs' });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Saisissez votre identifiant.');
  await expect(main.getByRole('textbox', { name: 'Identifiant' })).toHaveAttribute('aria-invalid', 'true');

  await main.getByRole('textbox', { name: 'Identifiant' }).fill('agent.nevers');
  await main.getByLabel('Mot de passe', { exact: true }).fill('pas-le-bon');
  await main.getByRole('button', { name: 'Se connecter' }).click();
  await expect(main.getByRole('alert')).toContainText('Identifiant ou mot de passe incorrect.');
  await expect(main.getByRole('alert')).toBeFocused();
  await expect(main.getByLabel('Mot de passe', { exact: true })).toHaveValue('');

  await main.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await main.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`/agent/services/${NEVERS}/agenda\\?date=`));
  await expect(page.getByTestId('direct')).toHaveText('En direct');
  await expect(page.getByRole('navigation', { name: 'Menu de l’espace agents' })).toContainText(
    'Tableau de bord des services',
  );
  // On a wide screen the menu is always shown: no "Menu" button.
  await expect(page.getByRole('button', { name: 'Menu', exact: true })).toBeHidden();
});

test('à 360 px, le menu et la session se replient derrière « Menu », au clavier aussi', async ({
  browser,
}) => {
  const { context, page } = await agentPage(browser, 'agent.nevers', { width: 360, height: 740 });
  try {
    await openHydrated(page, '/agent');
    const toggle = page.getByRole('button', { name: 'Menu', exact: true });
    const nav = page.getByRole('navigation', { name: 'Menu de l’espace agents' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(nav).toBeHidden();
    await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeHidden();

    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(nav).toBeVisible();
    await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('link', { name: 'Tableau de bord des services' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(toggle).toBeFocused();

    await toggle.click();
    await nav.getByRole('link', { name: 'Liste des RDV' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Liste des RDV');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(nav).toBeHidden();
  } finally {
    await context.close();
  }
});

test('le tableau de bord liste la zone de compétence avec les actions que le profil permet', async ({
  browser,
}) => {
  const agent = await agentPage(browser, 'agent.nevers');
  const reader = await agentPage(browser, 'consultation.nevers');
  try {
    for (const { page } of [agent, reader]) {
      await openHydrated(page, '/agent');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord des services');
      for (const column of ['Code Principal', 'Code Associé', 'Libellé du service', 'Code postal et ville'])
        await expect(page.getByRole('columnheader', { name: column })).toBeVisible();
      const row = page.getByRole('row').filter({ hasText: NEVERS_NAME });
      await expect(row).toContainText(NEVERS);
      await expect(row).toContainText('058019');
      await expect(row.getByRole('link', { name: /^Ouvrir l’agenda/ })).toBeVisible();
    }
    const row = (p: typeof agent.page) => p.getByRole('row').filter({ hasText: NEVERS_NAME });
    await expect(row(agent.page).getByRole('link', { name: /^Prendre RDV/ })).toBeVisible();
    // Read-only: no booking, and no "Nouveau RDV" in the agenda either.
    await expect(row(reader.page).getByRole('link', { name: /^Prendre RDV/ })).toHaveCount(0);
    await row(reader.page)
      .getByRole('link', { name: /^Ouvrir l’agenda/ })
      .click();
    await expect(reader.page.getByTestId('direct')).toHaveText('En direct');
    await expect(reader.page.getByRole('link', { name: 'Nouveau RDV' })).toHaveCount(0);
  } finally {
    await agent.context.close();
    await reader.context.close();
  }
});

test('agent.bourges, hors de la zone de Nevers, reçoit une page 403 en français (et l’API aussi)', async ({
  page,
}) => {
  await signIn(page, 'agent.bourges');
  await openHydrated(page, agendaPath(today()));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
  await expect(page.getByRole('main')).toContainText('n’est pas dans votre zone de compétence');
  await expect(page.getByRole('link', { name: 'Tableau de bord des services' }).first()).toBeVisible();
  const api = await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${today()}&to=${today()}`);
  expect(api.status()).toBe(403);
  expect((await api.json()).detail).toBeTruthy();
});

test('un agent déconnecté ne reçoit plus d’événements : son agenda ouvert quitte « En direct »', async ({
  browser,
}) => {
  // chef.nevers is this test's alone: "toutes mes sessions" would end other tests' sessions.
  // Two tabs of one session: signing out in one ends the other's live agenda.
  const { context, page } = await agentPage(browser, 'chef.nevers');
  try {
    await openAgenda(page, today());
    const other = await context.newPage();
    await openHydrated(other, '/agent');
    await other.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect(other).toHaveURL(/\/agent\/connexion$/);
    await expect(page.getByTestId('direct')).toHaveText(/Hors ligne/, { timeout: 1_000 });
    await expect(page.getByTestId('direct').getByRole('link', { name: 'Se reconnecter' })).toBeVisible();
    // "Déconnecter toutes mes sessions" from another browser ends this one's too.
    await signIn(page, 'chef.nevers');
    await openAgenda(page, today());
    const elsewhere = await agentPage(browser, 'chef.nevers');
    await openHydrated(elsewhere.page, '/agent');
    await elsewhere.page.getByRole('button', { name: 'Déconnecter toutes mes sessions' }).click();
    await expect(page.getByTestId('direct')).not.toHaveText('En direct', { timeout: 1_000 });
    await elsewhere.context.close();
  } finally {
    await context.close();
  }
});
