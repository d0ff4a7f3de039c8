import { expect, test } from '@playwright/test';
import { agentPage, workingDayAhead } from './agent-support.ts';
import { guichetWithRdvs, openConfig } from './pilotage-support.ts';
import { mailsTo, NEVERS } from './support.ts';

test('fermer un guichet : un RDV gardé par son propre choix, « Annuler les autres RDV » annule le reste et prévient ses usagers', async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const { context, page } = await agentPage(browser, 'chef.nevers');
  try {
    const day = workingDayAhead(11);
    const { name, rdvs } = await guichetWithRdvs(page, {
      day,
      label: 'Guichet aux choix',
      starts: ['17:00', '17:20', '17:40'],
      nom: 'Choix',
    });
    const [kept, ...others] = rdvs as [(typeof rdvs)[0], ...typeof rdvs];

    await openConfig(page);
    await page
      .locator(`section[data-guichet="${name}"]`)
      .getByRole('button', { name: `Fermer le guichet ${name}` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Fermer le guichet ${name} : 3 RDV concernés` });
    await expect(dialog.getByRole('button', { name: 'Annuler les RDV' })).toBeVisible();
    // Every rdv given its own choice: one button saves them.
    for (const r of rdvs) await dialog.getByLabel(`Choix pour le RDV n°${r.code}`).selectOption('cancel');
    await expect(dialog.getByRole('button', { name: 'Enregistrer avec ces choix' })).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Annuler les RDV' })).toHaveCount(0);
    // Back to "comme les autres" but one: the buttons decide for the others.
    for (const r of others) await dialog.getByLabel(`Choix pour le RDV n°${r.code}`).selectOption('');
    await dialog.getByLabel(`Choix pour le RDV n°${kept.code}`).selectOption('keep');
    await dialog.getByRole('button', { name: 'Annuler les autres RDV' }).click();
    await expect(dialog).toBeHidden();
    const status = page.getByRole('status').filter({ hasText: `Guichet ${name} fermé.` });
    await expect(status).toContainText('1 RDV conservé');
    await expect(status).toContainText('2 RDV annulés (courriel d’annulation envoyé)');

    const agenda = await (
      await page.request.get(`/api/v1/agent/services/${NEVERS}/agenda?from=${day}&to=${day}`)
    ).json();
    const statusOf = (code: string) =>
      agenda.rdvs.find((r: { code: string }) => r.code === code)?.status as string | undefined;
    expect(statusOf(kept.code)).toBe('confirme');
    for (const r of others) expect(statusOf(r.code)).toBe('annule');
    for (const r of others)
      await expect
        .poll(async () => (await mailsTo(r.email, 1_000)).map((m) => m.subject).join(' | '), {
          timeout: 20_000,
        })
        .toContain('Rendez-vous annulé');
  } finally {
    await context.close();
  }
});
