import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { zonedInstant } from '../../src/lib/format.ts';
import { citizen, irPremiere, origin, PARIS } from './agent-support.ts';
import { NEVERS, openHydrated, uniqueEmail } from './support.ts';

/*
 * "Configurer le service" (issue 10). Each test creates its own guichets, for times no demo
 * guichet offers (17:00–18:00), valid on one day only: the demo's guichets, which the other tests
 * book on in parallel, are never changed.
 */

export const CONFIG = `/agent/services/${NEVERS}/configuration`;

export async function openConfig(page: Page) {
  await openHydrated(page, CONFIG);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Configurer le service');
  await expect(page.getByTestId('direct')).toHaveText('En direct', { timeout: 15_000 });
}

/**
 * A guichet of one test only (`label` and a random suffix), for the service's agents, open on
 * `day` from 17:00 to 18:00, with 20-minute rdvs booked by the page's chef at `starts` (HH:MM)
 * for usagers named `${nom}${i}`, each with an email address of its own.
 */
export async function guichetWithRdvs(
  page: Page,
  options: { day: string; label: string; starts: string[]; nom: string },
): Promise<{ name: string; guichetId: number; rdvs: { code: string; email: string }[] }> {
  const { day, starts } = options;
  const motifId = await irPremiere(page.request);
  const name = `${options.label} ${randomUUID().slice(0, 6)}`;
  const created = await page.request.post(`/api/v1/agent/services/${NEVERS}/guichets`, {
    headers: origin(),
    data: { name, types: ['physique'], bookableBy: ['agentService'], motifIds: [motifId] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const guichetId = (await created.json()).id as number;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const plages = await page.request.put(`/api/v1/agent/services/${NEVERS}/guichets/${guichetId}/plages`, {
    headers: origin(),
    data: { plages: [{ weekday, start: '17:00', end: '18:00', validFrom: day, validTo: day }] },
  });
  expect(plages.status(), await plages.text()).toBe(200);
  const rdvs: { code: string; email: string }[] = [];
  for (const [i, start] of starts.entries()) {
    const email = uniqueEmail('pilotage');
    const [h, m] = start.split(':').map(Number) as [number, number];
    const endMinutes = h * 60 + m + 20;
    const end = `${String(Math.floor(endMinutes / 60)).padStart(2, '0')}:${String(endMinutes % 60).padStart(2, '0')}`;
    const res = await page.request.post(`/api/v1/agent/services/${NEVERS}/rdvs`, {
      headers: origin(),
      data: {
        guichetId,
        motifId,
        type: 'physique',
        start: zonedInstant(day, start, PARIS),
        end: zonedInstant(day, end, PARIS),
        usager: { ...citizen(900 + i), nomUsage: `${options.nom}${i}`, email },
        precisions: 'RDV sur un guichet que le chef change',
        acknowledge: ['USAGER_HAS_FUTURE_RDV', 'OUTSIDE_BOOKING_WINDOW', 'OUTSIDE_PLAGES'],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    rdvs.push({ code: (await res.json()).code, email });
  }
  return { name, guichetId, rdvs };
}
