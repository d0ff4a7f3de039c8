import type { Busy, Fermeture, Interval } from '../domain/index.ts';
import type { Db } from '../infra/db.ts';
import type { HeldSlot } from '../infra/holds.ts';
import { loadOccupation, loadServiceOffer, type ServiceOffer } from '../store/offer.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';
import type { OccupationCache, StoredOccupation } from './occupation-cache.ts';
import type { OfferCache } from './offer-cache.ts';

/**
 * The bookable configuration of a service, or 404: from the node's cache when one is given (see
 * offer-cache.ts), else read now.
 */
export async function offerOf(
  deps: { sql: Db; offers?: OfferCache },
  serviceCode: string,
): Promise<ServiceOffer> {
  const load = () => loadServiceOffer(deps.sql, serviceCode);
  const offer = await (deps.offers ? deps.offers.get(serviceCode, load) : load());
  if (!offer) throw notFound(`Aucun service ne porte le code ${serviceCode}.`);
  return offer;
}

/**
 * What a public slot listing shows as taken: the rdvs and fermetures from the node's short-lived
 * copy when there is one (occupation-cache.ts), the live holds always fresh.
 */
export async function listingOccupation(
  deps: { sql: Db; holds: Deps['holds']; occupations?: OccupationCache },
  offer: Pick<ServiceOffer, 'serviceId' | 'serviceCode'>,
  range: Interval,
): Promise<{ stored: StoredOccupation; held: HeldSlot[] }> {
  const load = () => loadOccupation(deps.sql, offer.serviceId, range);
  const [stored, held] = await Promise.all([
    deps.occupations ? deps.occupations.read(offer.serviceCode, range, load) : load(),
    deps.holds.live(offer.serviceId),
  ]);
  return { stored, held };
}

/** Active rdvs, fermetures and live holds of a service over [range.start, range.end). */
export async function occupation(
  deps: { sql: Db; holds: Deps['holds'] },
  offer: Pick<ServiceOffer, 'serviceId'>,
  range: Interval,
): Promise<{ busy: (Busy & { rdvId?: number })[]; fermetures: Fermeture[] }> {
  const [{ busy, fermetures }, held] = await Promise.all([
    loadOccupation(deps.sql, offer.serviceId, range),
    deps.holds.live(offer.serviceId),
  ]);
  return { fermetures, busy: [...busy, ...held] };
}
