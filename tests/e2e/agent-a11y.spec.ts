import { expect, type Page, test } from '@playwright/test';
import {
  agendaPath,
  openAgenda,
  PASSWORD,
  rdvToday,
  signIn,
  today,
  workingDayAhead,
} from './agent-support.ts';
import { expectNoAxeViolation, expectNoHorizontalScroll, NEVERS, openHydrated, tabTo } from './support.ts';

const WIDTHS = [1280, 360];

for (const width of WIDTHS) {
  test.describe(`à ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('connexion, tableau de bord, agenda (jour et semaine), Créer un RDV et fiche : aucune violation axe-core, pas de défilement horizontal', async ({
      page,
    }) => {
      const check = async (where: string) => {
        await expectNoAxeViolation(page, `${where} (${width} px)`);
        await expectNoHorizontalScroll(page, `${where} (${width} px)`);
      };
      await openHydrated(page, '/agent/connexion');
      await check('connexion');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await expect(page.getByRole('alert')).toBeFocused();
      await check('connexion avec erreurs');

      await signIn(page, 'consultation.nevers');
      await openHydrated(page, '/agent');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord des services');
      await check('tableau de bord');

      await openAgenda(page, today());
      await check('agenda du jour');
      await openAgenda(page, today(), 'semaine');
      await check('agenda de la semaine');

      const fiche = page.getByRole('link', { name: /^Consulter le détail/ }).first();
      if ((await fiche.count()) > 0) {
        await fiche.click();
        await expect(page.getByRole('heading', { level: 1 })).toContainText('Informations du RDV n°');
        await check('fiche RDV');
      }
    });

    test('Créer un RDV, avec ses erreurs puis ses avertissements, et la fiche avec ses actions : aucune violation', async ({
      page,
    }) => {
      const check = async (where: string) => {
        await expectNoAxeViolation(page, `${where} (${width} px)`);
        await expectNoHorizontalScroll(page, `${where} (${width} px)`);
      };
      await signIn(page, 'agent.nevers');
      const date = workingDayAhead(width === 360 ? 16 : 17);
      await openHydrated(page, `/agent/services/${NEVERS}/rdvs/nouveau?date=${date}`);
      await check('Créer un RDV');
      const main = page.getByRole('main');
      await main.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await expect(main.getByRole('alert').filter({ hasText: 'Le formulaire contient' })).toBeFocused();
      await check('Créer un RDV avec erreurs');

      const rdv = await rdvToday(page, width === 360 ? 'Guichet principal' : 'Guichet n°2');
      await openHydrated(page, `/agent/rdvs/${rdv.id}`);
      await expect(page.getByRole('checkbox', { name: 'Arrivé' })).toBeVisible();
      await check('fiche RDV du jour');
      await page.getByRole('button', { name: 'Annuler le RDV' }).click();
      await expect(page.getByRole('alertdialog')).toBeFocused();
      await check('confirmation d’annulation');
      await openHydrated(page, `/agent/rdvs/${rdv.id}/contre-appel`);
      await page.getByRole('radio', { name: 'Oui', exact: true }).check({ force: true });
      await check('contre-appel');
      await openHydrated(page, `/agent/rdvs/${rdv.id}/replanifier`);
      await check('replanifier');
    });
  });
}

/** Presses Enter on `target` once it has the focus by Tab. */
async function tabAndEnter(page: Page, target: ReturnType<Page['getByRole']>) {
  await tabTo(page, target);
  await page.keyboard.press('Enter');
}

test('la prise de RDV pour un usager se fait au clavier seul, jusqu’à « Enregistrer quand même »', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const date = workingDayAhead(12);
  await openHydrated(page, `/agent/connexion?retour=${encodeURIComponent(agendaPath(date))}`);
  const main = page.getByRole('main');
  await tabTo(page, main.getByRole('textbox', { name: 'Identifiant' }));
  await page.keyboard.type('agent.nevers');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('direct')).toHaveText('En direct');

  await tabAndEnter(page, main.getByRole('link', { name: 'Nouveau RDV' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Créer un RDV');
  await tabTo(page, main.getByLabel('Guichet *'));
  await page.keyboard.press('ArrowDown'); // Guichet principal
  await expect(main.getByLabel('Guichet *')).toHaveValue(/\d+/);
  await page.keyboard.press('Tab');
  await expect(main.getByLabel('Motif du RDV *')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(main.getByLabel('Motif du RDV *')).toHaveValue(/\d+/);
  await page.keyboard.press('Tab'); // into "Type de RDV": the first radio
  await expect(main.getByRole('radio', { name: 'Téléphone', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(main.getByRole('radio', { name: 'Guichet', exact: true })).toBeChecked();

  await tabTo(page, main.getByRole('radio', { name: 'Monsieur', exact: true }));
  await page.keyboard.press('Space');
  await expect(main.getByRole('radio', { name: 'Monsieur', exact: true })).toBeChecked();
  for (const [name, value] of [
    [/^Nom d’usage/, 'Valenton'],
    [/^Prénom\(s\)/, 'Philippe'],
    [/^Téléphone 1/, '0655555555'],
  ] as const) {
    await tabTo(page, main.getByRole('textbox', { name }));
    await page.keyboard.type(value);
  }
  await tabTo(page, main.getByLabel(/^Du/));
  await page.keyboard.type('1840');
  await tabTo(page, main.getByLabel(/^à/));
  await page.keyboard.type('1900');
  await tabTo(page, main.getByRole('textbox', { name: /^Précisions sur le RDV/ }));
  await page.keyboard.type('Question sur un investissement');
  await tabAndEnter(page, main.getByRole('button', { name: 'Enregistrer', exact: true }));

  const warnings = main.getByRole('alert').filter({ hasText: 'à confirmer' });
  await expect(warnings).toBeFocused();
  await expect(warnings).toContainText('en dehors des plages');
  await tabAndEnter(page, warnings.getByRole('button', { name: 'Enregistrer quand même' }));
  await expect(page).toHaveURL(/cree=[A-Z]{6}/);
  const code = new URL(page.url()).searchParams.get('cree');
  await expect(main.locator(`tr[data-rdv="${code}"]`)).toContainText('18:40 - 19:00');
});

test('l’arrivée se coche au clavier seul, dans la liste de l’agenda', async ({ page }) => {
  await signIn(page, 'accueil.nevers');
  const rdv = await rdvToday(page, 'Guichet principal');
  await openAgenda(page, today());
  const box = page.locator(`tr[data-rdv="${rdv.code}"]`).getByRole('checkbox', { name: /^Arrivé/ });
  await tabTo(page, box, { max: 200 });
  await page.keyboard.press('Space');
  await expect(box).toBeChecked();
  // Saved (the box is live again), and the focus stayed on it meanwhile.
  await expect(box).not.toHaveAttribute('aria-disabled', 'true');
  await expect(box).toBeFocused();
  const fiche = page
    .locator(`tr[data-rdv="${rdv.code}"]`)
    .getByRole('link', { name: /^Consulter le détail/ });
  await tabAndEnter(page, fiche);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Informations du RDV n°${rdv.code}`);
  await expect(page.locator('.fr-badge')).toHaveText('Arrivé');
  await expect(page.getByRole('checkbox', { name: 'Arrivé' })).toBeChecked();
});
