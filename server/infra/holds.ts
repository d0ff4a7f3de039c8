import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { luaScript, type Redis } from './redis.ts';

/**
 * A hold: a slot kept for one usager while the form is filled. Holds are a courtesy to users,
 * never the guard against double booking (PostgreSQL's exclusion constraint is). Expiry follows
 * the injected clock (`expiresAt`), so tests move time instead of sleeping.
 */
export type Hold = {
  id: string;
  serviceId: number;
  serviceCode: string;
  guichetId: number;
  motifId: number;
  type: 'physique' | 'telephone';
  start: number;
  end: number;
  expiresAt: number;
  /** The browser that placed it (its owner cookie): it alone may release it. */
  owner?: string;
  /** Set once the hold was released (by its owner or by the booking that consumed it). */
  released?: boolean;
};

export type HoldRequest = Omit<Hold, 'id' | 'expiresAt' | 'released'>;

/** The part of a hold that takes capacity, and that public events describe. */
export type HeldSlot = Pick<
  Hold,
  'id' | 'serviceId' | 'serviceCode' | 'guichetId' | 'type' | 'start' | 'end'
>;

/** A hold just placed, and the one its browser held before (one at a time: to give back). */
export type Placed = { hold: Hold; previous: string | null };

export interface HoldStore {
  /**
   * Places the hold unless a live hold already takes this guichet at this start, and records it
   * as the one hold of its browser (`owner`): `previous` is the hold that browser had before.
   */
  place(request: HoldRequest, ttlMs: number): Promise<Placed | null>;
  /** The hold, live or expired (kept a while after expiry so a late booking can still try). */
  get(id: string): Promise<Hold | null>;
  /**
   * Releases the hold; true when it was live. `known` is the hold as the caller just read it
   * (saves reading it again: where it is kept follows from it).
   */
  release(id: string, known?: Hold): Promise<boolean>;
  /** Live holds of a service. */
  live(serviceId: number): Promise<HeldSlot[]>;
  /** Takes the holds that expired since the last call (each one reaches exactly one caller). */
  sweepExpired(): Promise<HeldSlot[]>;
  close(): Promise<void>;
}

// After expiry a hold's record stays readable this long: "a hold expired but whose slot is
// still free may still book".
const RECORD_RETENTION_MS = 60 * 60_000;

const slotKey = (h: Pick<Hold, 'guichetId' | 'start'>) => `hold:slot:${h.guichetId}:${h.start}`;

const heldSlot = (h: Hold): HeldSlot => ({
  id: h.id,
  serviceId: h.serviceId,
  serviceCode: h.serviceCode,
  guichetId: h.guichetId,
  type: h.type,
  start: h.start,
  end: h.end,
});

/** Holds in this process's memory; `heldBy` tells the live hold a browser placed here. */
export type MemoryHolds = HoldStore & { heldBy(owner: string): string | null };

/** Single-node holds, in this process's memory. */
export function memoryHolds(clock: Clock): MemoryHolds {
  const records = new Map<string, Hold>();
  const bySlot = new Map<string, string>();
  const owners = new Map<string, string>();
  // Expired holds already announced by a sweep. Not `released`: an expired hold may still book
  // (after the checks a new hold makes), a released one never.
  const swept = new Set<string>();
  const isLive = (h: Hold | undefined, now: number) => !!h && !h.released && h.expiresAt > now;
  return {
    async place(request, ttlMs) {
      const now = clock.now().getTime();
      const key = slotKey(request);
      const current = bySlot.get(key);
      if (current && isLive(records.get(current), now)) return null;
      const hold: Hold = { ...request, id: randomUUID(), expiresAt: now + ttlMs };
      records.set(hold.id, hold);
      bySlot.set(key, hold.id);
      const previous = request.owner ? (owners.get(request.owner) ?? null) : null;
      if (request.owner) owners.set(request.owner, hold.id);
      return { hold: { ...hold }, previous };
    },
    heldBy(owner) {
      const id = owners.get(owner);
      return id && isLive(records.get(id), clock.now().getTime()) ? id : null;
    },
    async get(id) {
      const h = records.get(id);
      return h ? { ...h } : null;
    },
    async release(id) {
      const h = records.get(id);
      if (!h || h.released) return false;
      const wasLive = isLive(h, clock.now().getTime());
      h.released = true;
      if (bySlot.get(slotKey(h)) === id) bySlot.delete(slotKey(h));
      return wasLive;
    },
    async live(serviceId) {
      const now = clock.now().getTime();
      const out: HeldSlot[] = [];
      for (const h of records.values())
        if (h.serviceId === serviceId && isLive(h, now)) out.push(heldSlot(h));
      return out;
    },
    async sweepExpired() {
      const now = clock.now().getTime();
      const out: HeldSlot[] = [];
      for (const [id, h] of records) {
        if (!h.released && h.expiresAt <= now && !swept.has(id)) {
          swept.add(id);
          if (bySlot.get(slotKey(h)) === id) bySlot.delete(slotKey(h));
          out.push(heldSlot(h));
        }
        if (h.expiresAt + RECORD_RETENTION_MS <= now) {
          records.delete(id);
          swept.delete(id);
          if (h.owner && owners.get(h.owner) === id) owners.delete(h.owner);
        }
      }
      return out;
    },
    async close() {},
  };
}

// Place: the slot key names its holder and expiry; a holder whose expiry passed (by the injected
// clock) no longer counts. The Redis TTLs only collect garbage. Once placed, the hold becomes its
// browser's one hold (KEYS[5], when there is an owner) in the same call: nil when not placed,
// else the browser's previous hold id ('' for none).
const PLACE = luaScript(`
local cur = redis.call('GET', KEYS[1])
if cur then
  local exp = tonumber(string.match(cur, ':(%d+)$'))
  if exp and exp > tonumber(ARGV[5]) then return false end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[3], 'PX', ARGV[6])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
if KEYS[5] then
  local previous = redis.call('SET', KEYS[5], ARGV[1], 'PX', ARGV[8], 'GET')
  if previous then return previous end
end
return ''`);

// Release, only by the holder of the id: frees the slot key if it is still ours.
const RELEASE = luaScript(`
local rec = redis.call('GET', KEYS[1])
if not rec then return -1 end
local h = cjson.decode(rec)
if h.released then return -1 end
h.released = true
redis.call('SET', KEYS[1], cjson.encode(h), 'KEEPTTL')
local cur = redis.call('GET', KEYS[2])
if cur and string.sub(cur, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ':' then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
if h.expiresAt > tonumber(ARGV[3]) then return 1 end
return 0`);

// Atomic pop of expired members: with several nodes, each expiry is announced once.
const SWEEP = luaScript(`
local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 200)
for _, m in ipairs(items) do
  redis.call('ZREM', KEYS[1], m)
  local h = cjson.decode(m)
  redis.call('ZREM', ARGV[2] .. h.serviceId, m)
end
return items`);

/**
 * Holds shared by every node, in Redis. `namespace` prefixes every key: deployments (or test runs)
 * that share a Redis but not a database must not see each other's holds.
 */
export function redisHolds(redis: Redis, clock: Clock, namespace: string): HoldStore {
  const member = (h: Hold) => JSON.stringify(heldSlot(h));
  const ns = (key: string) => `${namespace}:${key}`;
  const recordKey = (id: string) => ns(`hold:${id}`);
  const serviceKey = (serviceId: number) => ns(`holds:service:${serviceId}`);
  const EXPIRY_KEY = ns('holds:expiry');
  return {
    async place(request, ttlMs) {
      const now = clock.now().getTime();
      const hold: Hold = { ...request, id: randomUUID(), expiresAt: now + ttlMs };
      const keys = [ns(slotKey(hold)), recordKey(hold.id), serviceKey(hold.serviceId), EXPIRY_KEY];
      if (hold.owner) keys.push(ns(`hold:owner:${hold.owner}`));
      const placed = await PLACE(redis, {
        keys,
        arguments: [
          hold.id,
          JSON.stringify(hold),
          String(hold.expiresAt),
          member(hold),
          String(now),
          String(ttlMs + 60_000),
          String(ttlMs + RECORD_RETENTION_MS),
          String(ttlMs + 60_000),
        ],
      });
      if (typeof placed !== 'string') return null;
      return { hold, previous: placed || null };
    },
    async get(id) {
      const raw = await redis.get(recordKey(id));
      return raw ? (JSON.parse(raw) as Hold) : null;
    },
    async release(id, known) {
      // The script reads the record itself and releases only a live one of this id.
      const raw = known?.id === id ? null : await redis.get(recordKey(id));
      if (!known && !raw) return false;
      const hold = known?.id === id ? known : (JSON.parse(raw as string) as Hold);
      const result = await RELEASE(redis, {
        keys: [recordKey(id), ns(slotKey(hold)), serviceKey(hold.serviceId), EXPIRY_KEY],
        arguments: [id, member(hold), String(clock.now().getTime())],
      });
      return result === 1;
    },
    async live(serviceId) {
      const now = clock.now().getTime();
      const members = await redis.zRangeByScore(serviceKey(serviceId), `(${now}`, '+inf');
      return members.map((m) => JSON.parse(m) as HeldSlot);
    },
    async sweepExpired() {
      const items = (await SWEEP(redis, {
        keys: [EXPIRY_KEY],
        arguments: [String(clock.now().getTime()), ns('holds:service:')],
      })) as string[];
      return items.map((m) => JSON.parse(m) as HeldSlot);
    },
    async close() {},
  };
}

/**
 * Redis when it answers, memory when it does not: if Redis fails at run time booking goes on
 * (holds degrade to this node) and the log says so once per outage.
 */
export function resilientHolds(
  primary: HoldStore,
  fallback: MemoryHolds,
  log: Logger,
  timeoutMs = 500,
): HoldStore {
  let degraded = false;
  async function attempt<T>(op: (s: HoldStore) => Promise<T>, onFailure: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A Redis that hangs (partition, half-open socket) must not hang bookings either.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis sans réponse après ${timeoutMs} ms`)), timeoutMs);
      });
      const result = await Promise.race([op(primary), timeout]);
      if (degraded) log.info('réservations temporaires : Redis de nouveau utilisé');
      degraded = false;
      return result;
    } catch (err) {
      if (!degraded)
        log.warn(
          { err: (err as Error).message },
          'réservations temporaires dégradées : Redis indisponible, mémoire locale utilisée',
        );
      degraded = true;
      return onFailure();
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    place: async (r, ttl) => {
      const placed = await attempt(
        (s) => s.place(r, ttl),
        () => fallback.place(r, ttl),
      );
      if (!placed || placed.previous || !r.owner) return placed;
      // A hold this browser placed here while Redis was away goes back as well.
      const local = fallback.heldBy(r.owner);
      return local && local !== placed.hold.id ? { ...placed, previous: local } : placed;
    },
    get: async (id) =>
      (await fallback.get(id)) ??
      attempt(
        (s) => s.get(id),
        async () => null,
      ),
    release: async (id, known) => {
      const local = await fallback.release(id);
      const remote = await attempt(
        (s) => s.release(id, known),
        async () => false,
      );
      return local || remote;
    },
    live: async (serviceId) => [
      ...(await fallback.live(serviceId)),
      ...(await attempt(
        (s) => s.live(serviceId),
        async () => [],
      )),
    ],
    sweepExpired: async () => [
      ...(await fallback.sweepExpired()),
      ...(await attempt(
        (s) => s.sweepExpired(),
        async () => [],
      )),
    ],
    close: async () => {},
  };
}
