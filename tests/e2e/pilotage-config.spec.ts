import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import {
  agentPage,
  citizenWatchesDay,
  freeSlots,
  openAgenda,
  origin,
  workingDayAhead,
} from './agent-support.ts';
import { CONFIG, guichetWithRdvs, openConfig } from './pilotage-support.ts';
import { expectNoAxeViolation, expectNoHorizontalScroll, mailsTo, NEVERS, openHydrated } from './support.ts';

/** A working day a citizen can book, with free slots (no holiday), some days ahead. */
async function bookableDay(page: Page, ahead: number): Promise<string> {
  const from = workingDayAhead(ahead);
  const { slots } = await freeSlots(page.request, from, workingDayAhead(ahead + 10));
  const days = [...new Set(slots.map((s) => s.slice(0, 10)))];
  expect(days.length, 'des jours libres').toBeGreaterThan(0);
  return days[Math.min(2, days.length - 1)]!;
}

const weekdayName = (day: string) =>
  ['Dimanche', 'Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi'][
    new Date(`${day}T00:00:00Z`).getUTCDay()
  ]!;
/** A day as a head types it: JJ/MM/AAAA. */
const typedDate = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

test('chef.nevers crée un guichet et ses plages au clavier seul ; le sélecteur de créneaux ouvert d’un usager les montre sans rechargement', async ({
  browser,
}) => {
  // Two browsers and a live picker on a shared machine: more than the default 30 s.
  test.setTimeout(60_000);
  const usager = await browser.newContext();
  const { context, page } = await agentPage(browser, 'chef.nevers');
  try {
    const citizenPage = await usager.newPage();
    const day = await bookableDay(citizenPage, 4);
    await citizenWatchesDay(citizenPage, day);
    const evening = citizenPage.getByRole('button', { name: '17:00, choisir ce créneau' });
    await expect(citizenPage.getByRole('main').locator('ul.heures button').first()).toBeVisible();
    await expect(evening).toHaveCount(0);

    await openConfig(page);
    const name = `Guichet du soir ${randomUUID().slice(0, 6)}`;
    const create = page.getByRole('form', { name: 'Créer un guichet' });
    await create.getByLabel('Nom du guichet').fill(name);
    await create.getByLabel('Les usagers, par internet').check({ force: true });
    // No type: the API's French error beside the types, nothing created.
    await create.getByLabel('RDV guichet physique').uncheck({ force: true });
    await create.getByRole('button', { name: 'Créer le guichet' }).click();
    await expect(create.getByRole('group', { name: /Types de RDV reçus/ })).toContainText(
      'Un guichet reçoit au moins un type de rendez-vous',
    );
    await create.getByLabel('RDV guichet physique').check({ force: true });
    await create.getByRole('button', { name: 'Créer le guichet' }).click();
    const guichet = page.locator(`section[data-guichet="${name}"]`);
    await expect(guichet.getByRole('heading', { name, level: 3 })).toBeFocused();
    await expect(page.getByRole('status').filter({ hasText: `Guichet ${name} créé` })).toBeVisible();

    // The keyboard alone, from the "Ajouter une plage" button.
    const kb = page.keyboard;
    await guichet.getByRole('button', { name: 'Ajouter une plage' }).focus();
    await kb.press('Enter');
    const jour = guichet.getByLabel('Jour', { exact: true });
    await expect(jour).toBeFocused();
    await kb.type(weekdayName(day));
    await kb.press('Tab');
    await expect(guichet.getByLabel('Début HH:MM', { exact: true })).toBeFocused();
    await kb.press('ControlOrMeta+a');
    await kb.type('17h');
    await kb.press('Tab');
    await kb.press('ControlOrMeta+a');
    await kb.type('16:00');
    // Enter in a field sends the form: the error is said next to the row, the focus goes to it.
    await kb.press('Enter');
    await expect(guichet.getByText('se termine avant de commencer')).toBeVisible();
    await expect(jour).toBeFocused();
    await expect(jour).toHaveAttribute('aria-invalid', 'true');
    await kb.press('Tab');
    await expect(guichet.getByLabel('Début HH:MM', { exact: true })).toHaveValue('17:00');
    await kb.press('Tab');
    await expect(guichet.getByLabel('Fin HH:MM', { exact: true })).toBeFocused();
    await kb.press('ControlOrMeta+a');
    await kb.type('17:40');
    await kb.press('Tab');
    await expect(guichet.getByLabel('Valable du JJ/MM/AAAA, facultatif', { exact: true })).toBeFocused();
    await kb.type(typedDate(day));
    await kb.press('Tab');
    await expect(guichet.getByLabel('au JJ/MM/AAAA, facultatif', { exact: true })).toBeFocused();
    await kb.type(typedDate(day));
    await kb.press('Tab');
    await expect(guichet.getByRole('button', { name: 'Supprimer la plage 1' })).toBeFocused();
    await kb.press('Tab');
    await kb.press('Tab');
    await expect(guichet.getByRole('button', { name: 'Enregistrer les plages' })).toBeFocused();
    await kb.press('Enter');
    await expect(
      page.getByRole('status').filter({ hasText: `Plages du guichet ${name} enregistrées` }),
    ).toBeVisible();
    // Saved, the rows show what the API holds, and the focus stays where the keyboard left it.
    await expect(guichet.getByRole('button', { name: 'Enregistrer les plages' })).toBeFocused();
    // The grid summarises the saved week; the config reads the plage back as typed.
    await expect(guichet.getByRole('figure').getByRole('listitem').filter({ hasText: '17:00' })).toHaveText(
      new RegExp(`^17:00.*à.*17:40.*du ${typedDate(day)} au ${typedDate(day)}`),
    );
    const config = await (await page.request.get(`/api/v1/agent/services/${NEVERS}/config`)).json();
    expect(config.guichets.find((g: { name: string }) => g.name === name).plages).toEqual([
      {
        weekday: new Date(`${day}T00:00:00Z`).getUTCDay() || 7,
        start: '17:00',
        end: '17:40',
        validFrom: day,
        validTo: day,
      },
    ]);

    // The citizen's picker, open all along, shows the new times without a reload.
    await expect(evening).toBeVisible();
    await expect(citizenPage.getByRole('button', { name: '17:20, choisir ce créneau' })).toBeVisible();
  } finally {
    await context.close();
    await usager.close();
  }
});

test('fermer un guichet qui a des RDV à venir les liste d’abord ; « Annuler les RDV » les annule, envoie les courriels, et l’agenda d’un autre agent se redessine', async ({
  browser,
}) => {
  // Two agents, a dialog checked by axe, emails through the outbox: more than the default 30 s.
  test.setTimeout(90_000);
  const chef = await agentPage(browser, 'chef.nevers');
  const agent = await agentPage(browser, 'agent.nevers');
  try {
    const page = chef.page;
    const day = workingDayAhead(6);
    const {
      name,
      guichetId,
      rdvs: booked,
    } = await guichetWithRdvs(page, {
      day,
      label: 'Guichet à fermer',
      starts: ['17:00', '17:20'],
      nom: 'Fermeture',
    });

    // Another agent follows that day's agenda.
    await openAgenda(agent.page, day);
    for (const r of booked)
      await expect(agent.page.locator(`tr[data-rdv="${r.code}"]`)).toContainText('Non arrivé');

    await openConfig(page);
    const section = page.locator(`section[data-guichet="${name}"]`);
    await section.getByRole('button', { name: `Fermer le guichet ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Fermer le guichet ${name} : 2 RDV concernés` });
    await expect(dialog).toBeVisible();
    for (const [i, r] of booked.entries()) {
      const row = dialog.getByRole('row').filter({ hasText: r.code });
      await expect(row).toContainText(`FERMETURE${i} ALICE`);
      await expect(row).toContainText(i === 0 ? '17:00 - 17:20' : '17:20 - 17:40');
      await expect(row).toContainText(name);
    }
    await expect(dialog).toContainText('chaque usager reçoit le courriel d’annulation');
    await expectNoAxeViolation(page, 'dialogue d’impact');
    // Nothing is saved yet.
    const before = await (await page.request.get(`/api/v1/agent/services/${NEVERS}/config`)).json();
    expect(before.guichets.find((g: { id: number }) => g.id === guichetId).open).toBe(true);

    await dialog.getByRole('button', { name: 'Annuler les RDV' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: `Guichet ${name} fermé.` })).toContainText(
      '2 RDV annulés (courriel d’annulation envoyé)',
    );
    await expect(section.getByRole('button', { name: `Ouvrir le guichet ${name}` })).toBeVisible();

    // The other agent's agenda redraws live; each usager gets the cancellation notice.
    for (const r of booked) {
      await expect(agent.page.locator(`tr[data-rdv="${r.code}"]`)).toContainText('Annulé');
      await expect
        .poll(async () => (await mailsTo(r.email, 1_000)).map((m) => m.subject).join(' | '), {
          timeout: 20_000,
        })
        .toContain(`Rendez-vous annulé`);
    }
  } finally {
    await chef.context.close();
    await agent.context.close();
  }
});

test('une fermeture sur un créneau réservé montre le RDV d’abord ; « Conserver les RDV » le garde, la fermeture est listée puis supprimée', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const { context, page } = await agentPage(browser, 'chef.nevers');
  try {
    const day = workingDayAhead(9);
    const setUp = await guichetWithRdvs(page, {
      day,
      label: 'Guichet fermé une heure',
      starts: ['17:20'],
      nom: 'Gardee',
    });
    const { name } = setUp;
    const rdv = setUp.rdvs[0]!;

    await openConfig(page);
    const form = page.getByRole('form', { name: 'Ajouter une fermeture' });
    await form.getByLabel('Fermeture de').selectOption({ label: name });
    await form.getByLabel('Une partie de journée').check({ force: true });
    await form.getByRole('button', { name: 'Enregistrer la fermeture' }).click();
    await expect(form.getByText('Indiquez le jour de la fermeture.')).toBeVisible();
    await form.getByLabel('Jour', { exact: true }).fill(day);
    await form.getByLabel('De HH:MM').fill('17:00');
    await form.getByLabel('À HH:MM').fill('18:00');
    await form.getByLabel('Motif de la fermeture').fill('Formation');
    await form.getByRole('button', { name: 'Enregistrer la fermeture' }).click();
    const dialog = page.getByRole('dialog', { name: `Fermer le guichet ${name} : 1 RDV concerné` });
    await expect(dialog.getByRole('row').filter({ hasText: rdv.code })).toContainText('GARDEE0 ALICE');
    await dialog.getByRole('button', { name: 'Conserver les RDV' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Fermeture enregistrée.' })).toContainText(
      '1 RDV conservé',
    );
    const listed = page.getByRole('listitem').filter({ hasText: `${name} — fermé` });
    await expect(listed).toContainText('de 17:00 à 18:00');
    await expect(listed).toContainText('Motif : Formation');
    // Kept: the rdv is still in the agenda, confirmed.
    const agenda = await (
      await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${day}&to=${day}`)
    ).json();
    expect(agenda.rdvs.find((r: { code: string }) => r.code === rdv.code).status).toBe('confirme');

    await listed.getByRole('button', { name: /^Supprimer la fermeture/ }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Fermeture supprimée' })).toBeVisible();
    await expect(listed).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('« Copier la semaine » remplace les plages d’un autre guichet par celles-ci', async ({ browser }) => {
  const { context, page } = await agentPage(browser, 'chef.nevers');
  try {
    const tag = randomUUID().slice(0, 6);
    const ids: number[] = [];
    for (const name of [`Semaine modèle ${tag}`, `Semaine copiée ${tag}`]) {
      const res = await page.request.post(`/api/v1/agent/services/${NEVERS}/guichets`, {
        headers: origin(),
        data: { name, types: ['telephone'], bookableBy: ['agentService'], motifIds: [] },
      });
      expect(res.status(), await res.text()).toBe(201);
      ids.push((await res.json()).id);
    }
    const week = [
      { weekday: 1, start: '17:00', end: '17:30' },
      { weekday: 6, start: '17:30', end: '18:00' },
    ];
    const put = await page.request.put(`/api/v1/agent/services/${NEVERS}/guichets/${ids[0]}/plages`, {
      headers: origin(),
      data: { plages: week },
    });
    expect(put.status(), await put.text()).toBe(200);

    await openConfig(page);
    const model = page.locator(`section[data-guichet="Semaine modèle ${tag}"]`);
    const copy = page.locator(`section[data-guichet="Semaine copiée ${tag}"]`);
    await expect(copy.getByText('Aucune plage : ce guichet n’offre aucun créneau.')).toBeVisible();
    await model
      .getByLabel('Copier la semaine enregistrée sur le guichet')
      .selectOption({ label: `Semaine copiée ${tag}` });
    await model.getByRole('button', { name: 'Copier la semaine' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'copiée sur' })).toBeVisible();
    await expect(copy.getByLabel('Début HH:MM', { exact: true })).toHaveCount(2);
    await expect(copy.getByLabel('Jour', { exact: true }).last()).toHaveValue('6');
    await expect(copy.getByLabel('Fin HH:MM', { exact: true }).last()).toHaveValue('18:00');
  } finally {
    await context.close();
  }
});

test('réservé au chef de service ou à un administrateur (les autres ont une page 403 en français) ; la page suit les changements d’un autre', async ({
  browser,
}) => {
  const agent = await agentPage(browser, 'agent.nevers');
  const admin = await agentPage(browser, 'admin');
  try {
    await openHydrated(agent.page, CONFIG);
    await expect(agent.page.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
    await expect(agent.page.getByText('réservée au chef de service')).toBeVisible();
    // An administrateur configures every service; the page follows another's change live.
    await openConfig(admin.page);
    const name = `Guichet d’un autre ${randomUUID().slice(0, 6)}`;
    const created = await admin.page.request.post(`/api/v1/agent/services/${NEVERS}/guichets`, {
      headers: origin(),
      data: { name, types: ['telephone'], bookableBy: [], motifIds: [] },
    });
    expect(created.status(), await created.text()).toBe(201);
    await expect(admin.page.getByRole('heading', { name, level: 3 })).toBeVisible();
  } finally {
    await agent.context.close();
    await admin.context.close();
  }
});

for (const width of [1280, 360]) {
  test(`la page de configuration à ${width} px : aucune violation axe-core, pas de défilement horizontal`, async ({
    browser,
  }) => {
    // axe-core reads a long page of forms (every guichet with its motifs): give it the time.
    test.setTimeout(60_000);
    const { context, page } = await agentPage(browser, 'chef.nevers', { width, height: 900 });
    try {
      await openConfig(page);
      await expect(page.getByRole('heading', { name: 'Guichet principal', level: 3 })).toBeVisible();
      // A guichet's parts unfolded too: its fields and its motifs.
      await page.locator('section[data-guichet="Guichet principal"] details').evaluateAll((all) => {
        for (const d of all) (d as HTMLDetailsElement).open = true;
      });
      await expectNoAxeViolation(page, `configuration (${width} px)`);
      await expectNoHorizontalScroll(page, `configuration (${width} px)`);
    } finally {
      await context.close();
    }
  });
}
