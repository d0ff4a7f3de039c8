import type { Busy, Fermeture, Interval } from '../domain/index.ts';
import type { Db } from '../infra/db.ts';
import { loadOccupation, loadServiceOffer, type ServiceOffer } from '../store/offer.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';

/** The bookable configuration of a service, or 404. */
export async function offerOf(deps: { sql: Db }, serviceCode: string): Promise<ServiceOffer> {
  const offer = await loadServiceOffer(deps.sql, serviceCode);
  if (!offer) throw notFound(`Aucun service ne porte le code ${serviceCode}.`);
  return offer;
}

/** Active rdvs, fermetures and live holds of a service over [range.start, range.end). */
export async function occupation(
  deps: { sql: Db; holds: Deps['holds'] },
  offer: ServiceOffer,
  range: Interval,
): Promise<{ busy: (Busy & { rdvId?: number })[]; fermetures: Fermeture[] }> {
  const [{ busy, fermetures }, held] = await Promise.all([
    loadOccupation(deps.sql, offer.serviceId, range),
    deps.holds.live(offer.serviceId),
  ]);
  return { fermetures, busy: [...busy, ...held] };
}
