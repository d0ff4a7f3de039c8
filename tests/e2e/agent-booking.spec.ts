import { expect, type Page, test } from '@playwright/test';
import { zonedInstant } from '../../src/lib/format.ts';
import {
  agentPage,
  bookOnline,
  citizenWatchesDay,
  freeSlots,
  openAgenda,
  origin,
  PARIS,
  rdvIdOf,
  signIn,
  workingDayAhead,
} from './agent-support.ts';
import { NEVERS, openHydrated } from './support.ts';

type RdvFormInput = { guichet: string; date: string; du: string; a: string; nom: string };

/** Fills "Créer un RDV" with the mouse (the keyboard path has its own test). */
async function fillRdvForm(page: Page, rdv: RdvFormInput) {
  await openHydrated(page, `/agent/services/${NEVERS}/rdvs/nouveau?date=${rdv.date}`);
  const main = page.getByRole('main');
  await main.getByLabel('Guichet *').selectOption({ label: rdv.guichet });
  await main.getByLabel('Motif du RDV *').selectOption({ index: 1 });
  await main.getByRole('radio', { name: 'Guichet', exact: true }).check({ force: true });
  await main.getByRole('radio', { name: 'Madame', exact: true }).check({ force: true });
  await main.getByRole('textbox', { name: /^Nom d’usage/ }).fill(rdv.nom);
  await main.getByRole('textbox', { name: /^Prénom\(s\)/ }).fill('Lucie');
  await main.getByRole('textbox', { name: /^Téléphone 1/ }).fill('06 11 22 33 44');
  await main.getByLabel('Date *').fill(rdv.date);
  await main.getByLabel(/^Du/).fill(rdv.du);
  await main.getByLabel(/^à/).fill(rdv.a);
  await main
    .getByRole('textbox', { name: /^Précisions sur le RDV/ })
    .fill('Question sur un investissement locatif');
  await main.getByRole('button', { name: 'Enregistrer', exact: true }).click();
}

test('agent.nevers pose un RDV hors des plages après avoir confirmé l’avertissement, mais ni sur un guichet fermé ni en chevauchement', async ({
  page,
}) => {
  await signIn(page, 'agent.nevers');
  const date = workingDayAhead(10);
  const main = page.getByRole('main');

  await fillRdvForm(page, { guichet: 'Guichet principal', date, du: '18:00', a: '18:20', nom: 'Horsplage' });
  const warnings = main.getByRole('alert').filter({ hasText: 'à confirmer avant d’enregistrer' });
  await expect(warnings).toBeFocused();
  await expect(warnings).toContainText(/en dehors des plages d.ouverture du guichet « Guichet principal »/);
  await warnings.getByRole('button', { name: 'Enregistrer quand même' }).click();
  await expect(page).toHaveURL(new RegExp(`/agenda\\?date=${date}&vue=jour&cree=[A-Z]{6}$`));
  const code = new URL(page.url()).searchParams.get('cree') ?? '';
  await expect(
    main.getByRole('status').filter({ hasText: `Le rendez-vous ${code} est enregistré.` }),
  ).toBeVisible();
  await expect(main.locator(`tr[data-rdv="${code}"]`)).toContainText('18:00 - 18:20');
  await expect(main.locator(`[data-rdv-code="${code}"]`)).toHaveCount(1);

  // A closed guichet: refused, whatever the agent confirms, with the server's words.
  await fillRdvForm(page, { guichet: 'Guichet n°3 (fermé)', date, du: '10:00', a: '10:20', nom: 'Ferme' });
  const summary = main.getByRole('alert').filter({ hasText: /Le formulaire contient 1 erreur/ });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Le guichet « Guichet n°3 » est fermé');
  await expect(main.getByLabel('Guichet *')).toHaveAttribute('aria-invalid', 'true');
  await expect(main.getByRole('button', { name: 'Enregistrer quand même' })).toHaveCount(0);

  // Overlapping the rdv just made: refused too.
  await fillRdvForm(page, { guichet: 'Guichet principal', date, du: '18:10', a: '18:30', nom: 'Chevauche' });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(
    'chevauche un autre rendez-vous du guichet « Guichet principal » (18:00–18:20)',
  );
  await expect(main.getByRole('button', { name: 'Enregistrer quand même' })).toHaveCount(0);
});

test('un contre-appel qui annule le RDV rend le créneau à l’usager qui regarde le sélecteur, en moins d’une seconde', async ({
  browser,
  playwright,
}) => {
  const citizenApi = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const agent = await agentPage(browser, 'agent.nevers');
  const watcher = await browser.newContext();
  try {
    const day = workingDayAhead(14);
    const { motif, slots } = await freeSlots(citizenApi, day, day);
    let booked: { code: string } | null = null;
    let start = '';
    for (const s of slots.slice(Math.floor(slots.length / 2))) {
      booked = await bookOnline(citizenApi, motif, s);
      start = s;
      if (booked) break;
    }
    expect(booked).toBeTruthy();
    const time = start.slice(11, 16);
    const picker = await watcher.newPage();
    await citizenWatchesDay(picker, day);
    const times = picker.getByRole('main').locator('ul.heures button');
    await expect(times.filter({ hasText: time })).toHaveCount(0);

    const page = agent.page;
    const id = await rdvIdOf(page, day, booked!.code);
    await openHydrated(page, `/agent/rdvs/${id}/contre-appel`);
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { level: 1 })).toHaveText('Enregistrement d’un contre-appel');
    await main.getByRole('radio', { name: 'Oui', exact: true }).check({ force: true });
    await expect(main).toContainText('Attention, l’annulation d’un RDV est une opération irréversible.');
    await main.getByRole('textbox', { name: /^Commentaire/ }).fill('Question réglée au téléphone.');
    const recorded = page.waitForResponse(
      (r) => r.url().endsWith(`/rdvs/${id}/contre-appels`) && r.status() === 200,
    );
    await main.getByRole('button', { name: 'Enregistrer le contre-appel' }).click();
    await recorded;
    // The slot is free again in the citizen's open picker, within a second of the answer.
    await expect(times.filter({ hasText: time })).toHaveCount(1, { timeout: 1_000 });
    await expect(main.locator('.fr-badge')).toHaveText('Annulé suite au contre-appel');
    await expect(main).toContainText('Question réglée au téléphone.');
    await expect(main.getByRole('link', { name: 'Replanifier' })).toHaveCount(0);
    await expect(main.getByRole('button', { name: 'Annuler le RDV' })).toHaveCount(0);
  } finally {
    await citizenApi.dispose();
    await agent.context.close();
    await watcher.close();
  }
});

test('l’arrivée d’un RDV d’un autre jour est refusée, avec un message clair', async ({ page }) => {
  await signIn(page, 'agent.nevers');
  const day = workingDayAhead(5);
  const agenda = await (
    await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${day}&to=${day}`)
  ).json();
  const guichet = agenda.guichets.find((g: { name: string }) => g.name === 'Guichet n°2');
  const res = await page.request.post(`/api/v1/agent/services/${NEVERS}/rdvs`, {
    headers: origin(),
    data: {
      guichetId: guichet.id,
      motifId: agenda.motifs[0].id,
      type: 'physique',
      start: zonedInstant(day, '07:00', PARIS),
      end: zonedInstant(day, '07:20', PARIS),
      usager: {
        type: 'particulier',
        civilite: 'M',
        nomUsage: 'Demain',
        prenoms: 'Paul',
        telephones: ['0611223344'],
      },
      precisions: 'Arrivée refusée',
      acknowledge: ['OUTSIDE_PLAGES', 'USAGER_HAS_FUTURE_RDV'],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const rdv = await res.json();

  await openHydrated(page, `/agent/rdvs/${rdv.id}`);
  const main = page.getByRole('main');
  await expect(main).toContainText(
    'Non arrivé — L’arrivée ne pourra être annotée que le jour du rendez-vous.',
  );
  await expect(main.getByRole('checkbox', { name: 'Arrivé' })).toHaveCount(0);
  // The agenda of that day says so too, and offers no box.
  await openHydrated(page, `/agent/services/${NEVERS}/agenda?date=${day}&vue=jour`);
  await expect(main.locator(`tr[data-rdv="${rdv.code}"]`)).toContainText('Non arrivé');
  await expect(main.locator(`tr[data-rdv="${rdv.code}"]`).getByRole('checkbox')).toHaveCount(0);
  await expect(main).toContainText('Les arrivées ne s’annotent que le jour du rendez-vous.');
  // And the API refuses it in French.
  const refused = await page.request.post(`/api/v1/agent/rdvs/${rdv.id}/arrival`, {
    headers: origin(),
    data: { arrived: true },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).detail).toMatch(/s'annote le jour du rendez-vous/);
});

test('à la souris : un clic sur une zone vide ouvre « Créer un RDV » prérempli, un clic sur un RDV sa fiche', async ({
  page,
}) => {
  await signIn(page, 'agent.nevers');
  const date = workingDayAhead(8);
  await openAgenda(page, date);
  const main = page.getByRole('main');
  // Guichet n°2's column, 100 px under 07:00: a zone of the grid, whatever is drawn there.
  const column = page.locator('.ec-body .ec-day').nth(1);
  const { width } = (await column.boundingBox())!;
  await column.click({ position: { x: width / 2, y: 100 } });
  await expect(page).toHaveURL(
    /\/rdvs\/nouveau\?guichet=\d+&date=\d{4}-\d\d-\d\d&du=\d\d%3A\d\d&a=\d\d%3A\d\d/,
  );
  await expect(main.getByLabel('Guichet *').locator('option:checked')).toHaveText('Guichet n°2');
  await expect(main.getByLabel('Date *')).toHaveValue(date);
  await expect(main.getByLabel(/^Du/)).toHaveValue(/^07:\d\d$/);

  await openAgenda(page, date);
  const rdv = page.locator('.ec-event.rdv').first();
  if ((await rdv.count()) > 0) {
    const code = await rdv.locator('[data-rdv-code]').getAttribute('data-rdv-code');
    await rdv.click();
    await expect(main.getByRole('heading', { level: 1 })).toHaveText(`Informations du RDV n°${code}`);
  }
});

test('replanifier puis annuler depuis la fiche, avec l’étape de confirmation ; un RDV annulé n’offre plus d’action', async ({
  page,
}) => {
  await signIn(page, 'agent.nevers');
  const day = workingDayAhead(20);
  const agenda = await (
    await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${day}&to=${day}`)
  ).json();
  const guichet = agenda.guichets.find((g: { name: string }) => g.name === 'Guichet n°2');
  const res = await page.request.post(`/api/v1/agent/services/${NEVERS}/rdvs`, {
    headers: origin(),
    data: {
      guichetId: guichet.id,
      motifId: agenda.motifs[0].id,
      type: 'physique',
      start: zonedInstant(day, '07:20', PARIS),
      end: zonedInstant(day, '07:40', PARIS),
      usager: {
        type: 'particulier',
        civilite: 'M',
        nomUsage: 'Deplace',
        prenoms: 'Marc',
        telephones: ['0611223344'],
      },
      precisions: 'À replanifier',
      acknowledge: ['OUTSIDE_PLAGES', 'USAGER_HAS_FUTURE_RDV'],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const rdv = await res.json();

  await openHydrated(page, `/agent/rdvs/${rdv.id}`);
  const main = page.getByRole('main');
  // The number as people write it, a link a softphone can call for the contre-appel.
  await expect(main.getByRole('link', { name: '06 11 22 33 44' })).toHaveAttribute(
    'href',
    'tel:+33611223344',
  );
  await main.getByRole('link', { name: 'Replanifier' }).click();
  await expect(main.getByRole('heading', { level: 1 })).toHaveText(`Replanifier le RDV n°${rdv.code}`);
  await expect(main.getByLabel(/^Du/)).toHaveValue('07:20');
  await main.getByLabel(/^Du/).fill('07:40');
  await main.getByLabel(/^à/).fill('08:00');
  await main.getByRole('radio', { name: 'Téléphone', exact: true }).check({ force: true });
  await main.getByRole('button', { name: 'Replanifier' }).click();
  const warnings = main.getByRole('alert').filter({ hasText: 'à confirmer' });
  await expect(warnings).toBeFocused();
  await warnings.getByRole('button', { name: 'Enregistrer quand même' }).click();
  await expect(main.getByRole('heading', { level: 1 })).toHaveText(`Informations du RDV n°${rdv.code}`);
  await expect(main).toContainText('07:40 - 08:00');
  await expect(main).toContainText('RDV téléphonique');
  await expect(main).toContainText('Rendez-vous replanifié');

  await main.getByRole('button', { name: 'Annuler le RDV' }).click();
  const confirm = main.getByRole('alertdialog');
  await expect(confirm).toBeFocused();
  await expect(confirm).toContainText('Attention, l’annulation d’un RDV est une opération irréversible.');
  await confirm.getByRole('button', { name: 'Non, le conserver' }).click();
  await expect(main.getByRole('button', { name: 'Annuler le RDV' })).toBeFocused();
  await main.getByRole('button', { name: 'Annuler le RDV' }).click();
  await confirm.getByRole('button', { name: 'Oui, annuler le RDV' }).click();
  await expect(main.locator('.fr-badge')).toHaveText('Annulé');
  await expect(main).toContainText('Rendez-vous annulé');
  await expect(main.getByRole('heading', { name: 'Actions' })).toHaveCount(0);
  // The API says so too: a cancelled rdv cannot be cancelled again.
  const again = await page.request.post(`/api/v1/agent/rdvs/${rdv.id}/cancel`, { headers: origin() });
  expect(again.status()).toBe(409);
});
