import type { ServiceOffer } from '../store/offer.ts';

/**
 * The bookable configuration of each service (guichets, plages, motifs, rules), kept in this node
 * between requests: listing slots and placing holds read it on every call, and it changes only
 * when a chef de service saves a change. A change drops it at once on the node that saved it and,
 * through the `config-changed` event between nodes, on the others; a short lifetime covers an
 * event that was missed, and the whole cache is dropped when Redis comes back after an outage
 * (events published meanwhile never arrived). Occupation (rdvs, fermetures, holds) is never
 * cached: it is read fresh for every answer. Bookings read the offer fresh in their transaction.
 */
export type OfferCache = {
  /** The service's offer, from memory while it is fresh, else from `load` (one load at a time). */
  get(code: string, load: () => Promise<ServiceOffer | undefined>): Promise<ServiceOffer | undefined>;
  /** The service's configuration changed: the next read loads it again. */
  invalidate(code: string): void;
  /** Everything may have changed (missed events): every next read loads again. */
  clear(): void;
};

type Entry = { offer: ServiceOffer; loadedAt: number };

export const OFFER_CACHE_TTL_MS = 5_000;

export function createOfferCache(
  options: { ttlMs?: number; now?: () => number; maxEntries?: number } = {},
): OfferCache {
  const ttl = options.ttlMs ?? OFFER_CACHE_TTL_MS;
  const now = options.now ?? (() => performance.now());
  const max = options.maxEntries ?? 5_000;
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<ServiceOffer | undefined>>();
  // Bumped by every invalidation: a load that started before one must not store what it read,
  // since it may have read the configuration as it was before the change.
  const generation = new Map<string, number>();
  let epoch = 0;
  const versionOf = (code: string) => `${epoch}:${generation.get(code) ?? 0}`;

  return {
    async get(code, load) {
      if (ttl <= 0) return load();
      const entry = entries.get(code);
      if (entry && now() - entry.loadedAt < ttl) return entry.offer;
      const pending = loading.get(code);
      if (pending) return pending;
      const version = versionOf(code);
      const startedAt = now();
      const promise = load().then(
        (offer) => {
          if (loading.get(code) === promise) loading.delete(code);
          // An unknown service is not remembered: it may be created a moment later.
          if (offer && versionOf(code) === version) {
            if (entries.size >= max) entries.clear();
            entries.set(code, { offer, loadedAt: startedAt });
          }
          return offer;
        },
        (err: unknown) => {
          if (loading.get(code) === promise) loading.delete(code);
          throw err;
        },
      );
      loading.set(code, promise);
      return promise;
    },
    invalidate(code) {
      entries.delete(code);
      loading.delete(code);
      generation.set(code, (generation.get(code) ?? 0) + 1);
    },
    clear() {
      entries.clear();
      loading.clear();
      generation.clear();
      epoch++;
    },
  };
}
