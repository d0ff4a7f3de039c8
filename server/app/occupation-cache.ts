import type { Busy, Fermeture } from '../domain/index.ts';

export type StoredOccupation = { busy: (Busy & { rdvId: number })[]; fermetures: Fermeture[] };

/**
 * The rdvs and fermetures of a range of a service, as public slot listings read them, kept in
 * this node for a moment: a month's listing is asked for again and again by every citizen
 * choosing a slot, while it changes only when an rdv or a fermeture does. Every such change is
 * published (`slot-taken`, `slot-freed`, `config-changed`) and marks the service changed here and,
 * through the adapter, on the other nodes, before their browsers hear it; a listing then reads
 * again. A change a node missed (Redis away) lasts at most the lifetime (1 s), and everything is
 * dropped when Redis comes back. Holds are never kept (they are read fresh beside), nor is
 * anything a hold or a booking checks: those read the database in their own request or
 * transaction, and the exclusion constraint stays the guard.
 */
export type OccupationCache = {
  /** The range's occupation from memory while fresh and unchanged, else from `load`. */
  read(
    serviceCode: string,
    range: { start: number; end: number },
    load: () => Promise<StoredOccupation>,
  ): Promise<StoredOccupation>;
  /** Something in the service's occupation changed: the next listing reads again. */
  changed(serviceCode: string): void;
  /** Changes may have been missed: every next listing reads again. */
  clear(): void;
};

type Entry = { version: number; at: number; occupation: StoredOccupation };

export const OCCUPATION_CACHE_TTL_MS = 1_000;

export function createOccupationCache(
  options: { ttlMs?: number; now?: () => number; maxEntries?: number } = {},
): OccupationCache {
  const ttl = options.ttlMs ?? OCCUPATION_CACHE_TTL_MS;
  const now = options.now ?? (() => performance.now());
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();
  // Per service, bumped by every change; an entry read under an older version is not used, and a
  // read that started before a change is stored under the version it started with.
  const versions = new Map<string, number>();
  let epoch = 0;
  const versionOf = (code: string) => epoch * 1e9 + (versions.get(code) ?? 0);

  return {
    async read(code, range, load) {
      const key = `${code}|${range.start}|${range.end}`;
      const version = versionOf(code);
      const hit = entries.get(key);
      const t = now();
      if (hit && hit.version === version && t - hit.at < ttl) return hit.occupation;
      const occupation = await load();
      if (versionOf(code) === version) {
        if (entries.size >= max) entries.clear();
        entries.set(key, { version, at: t, occupation });
      }
      return occupation;
    },
    changed(code) {
      versions.set(code, (versions.get(code) ?? 0) + 1);
    },
    clear() {
      entries.clear();
      versions.clear();
      epoch++;
    },
  };
}
