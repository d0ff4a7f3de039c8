import { expect, test } from '@playwright/test';
import { expectNoAxeViolation, NEVERS, NEVERS_NAME, openHydrated } from './support.ts';

const CONTACT_RESULTS =
  '/contact?vous=particulier&n1=part-dossier&n2=part-dossier-calcul&n3=part-dossier-calcul-ir&voie=19+rue+Camille+Baynac&cp=58000';

test('/contact garde les choix dans l’adresse : rechargement, précédent et suivant', async ({ page }) => {
  await openHydrated(page, CONTACT_RESULTS);
  const main = page.getByRole('main');
  await expect(main.getByRole('radio', { name: 'Le calcul de vos impôts', exact: true })).toBeChecked();
  await expect(main.getByRole('textbox', { name: /^Voie/ })).toHaveValue('19 rue Camille Baynac');
  await expect(main.getByRole('article', { name: NEVERS_NAME })).toBeVisible();
  await expect(
    main.getByRole('article', { name: NEVERS_NAME }).getByRole('link', { name: /Prendre rendez-vous/ }),
  ).toHaveAttribute('href', new RegExp(`^/services/${NEVERS}/rendez-vous\\?usager=particulier`));

  await main.getByRole('radio', { name: 'Votre taxe foncière', exact: true }).check({ force: true });
  await expect(page).toHaveURL(/n3=part-dossier-calcul-tf/);
  await expect(main.getByRole('article', { name: NEVERS_NAME })).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(/n3=part-dossier-calcul-ir/);
  await expect(main.getByRole('article', { name: NEVERS_NAME })).toBeVisible();
  await page.goForward();
  await expect(main.getByRole('radio', { name: 'Votre taxe foncière', exact: true })).toBeChecked();
});

test('/contact : champs obligatoires de l’adresse signalés, et « domicilié hors de France » mène à la DRESG', async ({
  page,
}) => {
  await openHydrated(
    page,
    '/contact?vous=particulier&n1=part-dossier&n2=part-dossier-calcul&n3=part-dossier-calcul-ir&chercher=1',
  );
  const main = page.getByRole('main');
  await expect(main.getByText('* Champ obligatoire')).toBeVisible();
  await main.getByRole('button', { name: 'Rechercher votre service' }).click();
  await expect(main.getByRole('textbox', { name: /^Voie/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(main.getByRole('textbox', { name: /^Voie/ })).toBeFocused();
  await expectNoAxeViolation(page, '/contact avec erreurs');

  await main.getByRole('button', { name: 'Vous êtes domicilié hors de France ?' }).click();
  await expect(page).toHaveURL(/etranger=1/);
  await expect(main.getByRole('heading', { name: 'Service des résidents à l’étranger' })).toBeFocused();
  await expect(main.getByRole('article')).toContainText('NON RESIDENTS');
  await expectNoAxeViolation(page, '/contact DRESG');
});

test('/dev/mails liste les courriels de la démonstration', async ({ page }) => {
  const response = await page.goto('/dev/mails');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Courriels envoyés');
  await expectNoAxeViolation(page, '/dev/mails');
});

test('/rendez-vous/annuler avec un lien invalide l’explique, sans rien annuler', async ({ page }) => {
  await page.goto('/rendez-vous/annuler?code=ABCDEF&jeton=faux');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Annuler un rendez-vous');
  await expect(page.getByRole('main')).toContainText('Ce lien n’est pas valide');
  await expect(page.getByRole('button', { name: 'Annuler mon rendez-vous' })).toHaveCount(0);
  await expectNoAxeViolation(page, '/rendez-vous/annuler');
});

test('l’assistant présélectionne le motif donné par ?motif= (identifiant du sous-motif)', async ({
  page,
  request,
}) => {
  const card = (await (await request.get(`/api/v1/services/${NEVERS}`)).json()) as {
    motifs: { id: number; label: string; children: { id: number; label: string }[] }[];
  };
  const parent = card.motifs.find((m) => m.children.length > 0)!;
  const child = parent.children[0]!;
  await page.goto(`/services/${NEVERS}/rendez-vous?motif=${child.id}`);
  const main = page.getByRole('main');
  await expect(main.getByRole('radio', { name: parent.label, exact: true })).toBeChecked();
  await expect(main.getByRole('radio', { name: child.label, exact: true })).toBeChecked();
});
