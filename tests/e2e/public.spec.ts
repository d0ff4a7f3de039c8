import { expect, test } from '@playwright/test';
import { expectNoAxeViolation, expectNoHorizontalScroll, NEVERS, NEVERS_NAME } from './support.ts';

/** Every public page, including an error page. */
const PAGES = [
  '/',
  '/contact',
  '/agent/connexion',
  '/accessibilite',
  `/services/${NEVERS}`,
  `/services/${NEVERS}/rendez-vous`,
  '/services/9999999',
  '/contact?vous=particulier&n1=part-dossier&n2=part-dossier-calcul&n3=part-dossier-calcul-ir&voie=19+rue+Camille+Baynac&cp=58000',
  '/dev/mails',
  '/rendez-vous/annuler?code=ABCDEF&jeton=faux',
];

test('la page d’accueil est en français, avec un titre et une entrée « Prendre rendez-vous »', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page).toHaveTitle(/Guichet/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('rendez-vous');
  await expect(page.getByRole('banner')).toContainText('République');
  await expect(page.getByRole('contentinfo')).toBeVisible();

  await page.getByRole('main').getByRole('link', { name: 'Prendre rendez-vous' }).click();
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prendre rendez-vous');
  await expect(page.getByRole('radio', { name: 'Particulier', exact: true })).toBeVisible();

  await page.goto('/');
  await page.getByRole('main').getByRole('link', { name: 'Espace agents' }).click();
  // Not signed in: the agents' space starts with its sign-in page.
  await expect(page).toHaveURL(/\/agent\/connexion\?retour=%2Fagent$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’espace agents');
});

for (const path of PAGES) {
  test(`axe-core (WCAG 2.1 A et AA) ne relève aucune violation sur ${path}`, async ({ page }) => {
    await page.goto(path);
    await expectNoAxeViolation(page, path);
  });
}

test('la fiche du SIP de Nevers donne ses coordonnées et la prise de rendez-vous', async ({
  page,
  request,
}) => {
  const api = await request.get(`/api/v1/services/${NEVERS}`);
  expect(api.ok()).toBe(true);
  const service = (await api.json()) as { name: string; email: string; hours: string };

  await page.goto(`/services/${NEVERS}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(service.name);
  await expect(page).toHaveTitle(new RegExp(service.name));
  const phone = page.getByRole('link', { name: '03 86 68 49 49' });
  await expect(phone).toHaveAttribute('href', 'tel:+33386684949');
  await expect(page.getByRole('link', { name: service.email })).toHaveAttribute(
    'href',
    `mailto:${service.email}`,
  );
  await expect(page.getByRole('main')).toContainText('Horaires d’ouverture');
  await expect(page.getByRole('main')).toContainText(service.hours);
  await expect(page.getByRole('heading', { name: 'Motifs de rendez-vous proposés en ligne' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Prendre rendez-vous' })).toHaveAttribute(
    'href',
    `/services/${NEVERS}/rendez-vous`,
  );
});

test('la fiche se parcourt au clavier seul : lien d’évitement, puis « Prendre rendez-vous »', async ({
  page,
}) => {
  await page.goto(`/services/${NEVERS}`);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();

  await page.keyboard.press('Enter');
  await expect(page.locator('#contenu')).toBeFocused();

  await page.keyboard.press('Tab');
  const book = page.getByRole('link', { name: 'Prendre rendez-vous' });
  await expect(book).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/services/${NEVERS}/rendez-vous$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(NEVERS_NAME);
  await expect(page.getByRole('heading', { level: 2, name: /Votre question/ })).toBeVisible();
});

test('un code de service inconnu affiche la page d’erreur en français, statut 404', async ({ page }) => {
  for (const code of ['9999999', 'abc']) {
    const response = await page.goto(`/services/${code}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Service introuvable');
    await expect(page.getByRole('main')).toContainText(
      `Aucun service des Finances publiques ne porte le code « ${code} »`,
    );
    await expect(page.getByRole('link', { name: 'Page d’accueil' })).toHaveAttribute('href', '/');
  }
  const response = await page.goto('/cette-page-n-existe-pas');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
});

test('toutes les pages tiennent dans 360 px de large, sans défilement horizontal', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
    await expectNoHorizontalScroll(page, path);
  }
});
