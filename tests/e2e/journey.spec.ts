import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { walkJourney } from './journey.ts';
import { expectNoAxeViolation, expectNoHorizontalScroll, icsUid, mailsTo, uniqueEmail } from './support.ts';

// Full journeys, with a check at each step: more than the default 30 s.
test.describe.configure({ timeout: 120_000 });

// Each test books a real rdv; they take different days so that parallel runs never race for a slot.

test('parcours complet depuis /contact jusqu’au code de confirmation, puis le courriel reçu par SMTP', async ({
  page,
}) => {
  const email = uniqueEmail('parcours');
  const result = await walkJourney(page, { email, dayIndex: 0 });
  expect(result.code).toMatch(/^[A-Z]{6}$/);

  // "Ajouter à mon agenda": the file the server serves for this rdv, downloaded as a person would.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('main').getByRole('link', { name: 'Ajouter à mon agenda (.ics)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.ics$/);
  const downloaded = await readFile(await download.path(), 'utf8');
  expect(downloaded).toContain('BEGIN:VEVENT');

  // The confirmation email, as received by a real SMTP server (tests/e2e/serve.ts).
  const mails = await mailsTo(email);
  expect(mails.length, 'courriel de confirmation reçu').toBeGreaterThanOrEqual(1);
  const mail = mails[0]!;
  expect(mail.subject).toContain(result.code);
  expect(mail.text).toContain(result.code);
  expect(mail.text).toContain(result.dateInWords);
  expect(mail.text).toContain('SERVICE IMPOTS PARTICULIERS NEVERS');
  const attached = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(attached?.text, 'fichier .ics joint au courriel').toBeTruthy();
  // One calendar entry per rdv: the page's file and the email's update the same event.
  const uid = icsUid(attached!.text!);
  expect(uid).toBeTruthy();
  expect(icsUid(downloaded)).toBe(uid);

  // The signed self-cancellation link of the email: the rdv is shown, then cancelled.
  const link = /\/rendez-vous\/annuler\?code=[A-Z]{6}&jeton=[^\s<>"')]+/.exec(mail.text)?.[0];
  expect(link, 'lien d’annulation dans le courriel').toBeTruthy();
  await page.goto(link!);
  const main = page.getByRole('main');
  await expect(main).toContainText(result.code);
  await expect(main).toContainText(result.dateInWords);
  await expect(main).toContainText('irréversible');
  await expectNoAxeViolation(page, '/rendez-vous/annuler');
  await main.getByRole('button', { name: 'Annuler mon rendez-vous' }).click();
  await expect(main.getByRole('heading', { name: 'Votre rendez-vous est annulé' })).toBeVisible();
});

test('le parcours complet se fait au clavier seul (Tab, Maj+Tab, Entrée, Espace, flèches)', async ({
  page,
}) => {
  const result = await walkJourney(page, { email: uniqueEmail('clavier'), keyboard: true, dayIndex: 1 });
  expect(result.code).toMatch(/^[A-Z]{6}$/);
});

test('axe-core ne relève aucune violation à chaque page et chaque étape du parcours', async ({ page }) => {
  await walkJourney(page, {
    email: uniqueEmail('axe'),
    dayIndex: 2,
    check: (step) => expectNoAxeViolation(page, step),
  });
});

test('le parcours tient dans 360 px de large à chaque étape', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await walkJourney(page, {
    email: uniqueEmail('mobile'),
    dayIndex: 3,
    check: (step) => expectNoHorizontalScroll(page, step),
  });
});
