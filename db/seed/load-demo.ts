import { createHash } from 'node:crypto';
import type { Sql, Tx } from '../../server/infra/db.ts';
import { hashPassword } from '../../server/infra/password.ts';
import {
  activateService,
  activeIntervals,
  activeRdvCodes,
  findServicesByCode,
  insertRdvs,
  insertUsagers,
  listActiveMotifs,
  upsertAgent,
  upsertGuichet,
  upsertHabilitation,
} from '../../server/store/demo.ts';
import { lockSeed, recordChecksum, recordedChecksum } from '../../server/store/referential.ts';
import { DEMO_AGENTS, DEMO_PASSWORD, DEMO_SERVICES, DEMO_VERSION } from './demo.ts';
import {
  demoRng,
  demoUsagers,
  draftRdvs,
  type GuichetRef,
  WINDOW_FUTURE_DAYS,
  WINDOW_PAST_DAYS,
} from './demo-agenda.ts';

const DAY = 86_400_000;

export interface DemoOptions {
  /** Callers say whether this is production; demo data is refused there. */
  production: boolean;
  log?: (msg: string) => void;
}

export interface DemoCounts {
  agents: number;
  rdvs: number;
  skipped: boolean;
}

/**
 * Loads the demonstration data set (active offices with counters and windows, demo agents,
 * usagers and an agenda around `now`) unless this version of it is already recorded. Requires the
 * referential. Refused in production.
 */
export async function seedDemo(sql: Sql, now: Date, options: DemoOptions): Promise<DemoCounts> {
  if (options.production) {
    throw new Error('Les données de démonstration ne peuvent pas être chargées en production.');
  }
  const log = options.log ?? (() => {});
  const checksum = createHash('sha256')
    .update(JSON.stringify({ DEMO_VERSION, DEMO_SERVICES, DEMO_AGENTS }))
    .digest('hex');
  if ((await recordedChecksum(sql, 'demo')) === checksum) return { agents: 0, rdvs: 0, skipped: true };
  // Hashing is slow on purpose: do it before taking the lock.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const result = await sql.begin(async (tx) => {
    await lockSeed(tx);
    if ((await recordedChecksum(tx, 'demo')) === checksum) return null;
    const counts = await loadDemo(tx, now.getTime(), passwordHash);
    await recordChecksum(tx, 'demo', checksum);
    return counts;
  });
  if (!result) return { agents: 0, rdvs: 0, skipped: true };
  log(`Données de démonstration chargées : ${result.agents} agents, ${result.rdvs} rendez-vous`);
  return { ...result, skipped: false };
}

async function loadDemo(
  tx: Tx,
  now: number,
  passwordHash: string,
): Promise<{ agents: number; rdvs: number }> {
  const codes = DEMO_SERVICES.map((s) => s.codePrincipal);
  const serviceByCode = new Map((await findServicesByCode(tx, codes)).map((s) => [s.codePrincipal, s]));
  for (const c of codes) {
    if (!serviceByCode.has(c)) throw new Error(`Démo : service ${c} absent, chargez d'abord le référentiel`);
  }

  const agentIds = new Map<string, number>();
  for (const a of DEMO_AGENTS) {
    const id = await upsertAgent(tx, {
      login: a.login,
      displayName: a.displayName,
      email: a.email,
      passwordHash,
      administrateur: a.administrateur,
    });
    agentIds.set(a.login, id);
    for (const h of a.habilitations) {
      await upsertHabilitation(tx, id, serviceByCode.get(h.codePrincipal)!.id, h.profile);
    }
  }

  const guichets: GuichetRef[] = [];
  for (const spec of DEMO_SERVICES) {
    const service = serviceByCode.get(spec.codePrincipal)!;
    await activateService(tx, service.id, spec.durationMinutes);
    const motifs = await listActiveMotifs(tx, service.kind);
    const inside = DEMO_AGENTS.filter((a) =>
      a.habilitations.some((h) => h.codePrincipal === spec.codePrincipal),
    );
    const outside = DEMO_AGENTS.filter((a) => !a.administrateur && !inside.includes(a));
    for (const [position, g] of spec.guichets.entries()) {
      const id = await upsertGuichet(tx, {
        serviceId: service.id,
        name: g.name,
        position,
        open: g.open ?? true,
        types: g.types,
        bookableBy: g.bookableBy,
        plages: g.plages.flatMap((p) =>
          p.weekdays.map((weekday) => ({ weekday, start: p.start, end: p.end })),
        ),
        // Every motif of the kind, parents included: a guichet offers the tree, the usager picks a leaf.
        motifIds: motifs.map((m) => m.id),
      });
      guichets.push({
        id,
        serviceId: service.id,
        spec: g,
        timeZone: service.timeZone,
        calendar: service.holidayCalendar,
        duration: spec.durationMinutes,
        motifs: motifs.filter((m) => m.leaf),
        agentsInside: inside.map((a) => agentIds.get(a.login)!),
        agentsOutside: outside.map((a) => agentIds.get(a.login)!),
      });
    }
  }

  // A reload (new demo version) must not collide with the agenda already there.
  const busy = await activeIntervals(
    tx,
    guichets.map((g) => g.id),
    new Date(now - (WINDOW_PAST_DAYS + 2) * DAY),
    new Date(now + (WINDOW_FUTURE_DAYS + 2) * DAY),
  );
  const takenCodes = await activeRdvCodes(tx);

  const rng = demoRng(now);
  const usagers = demoUsagers(rng, 48);
  const usagerIds = await insertUsagers(tx, usagers);
  const drafts = draftRdvs(rng, now, guichets, busy, usagers.length, takenCodes);
  await insertRdvs(
    tx,
    drafts.map(({ usagerIndex, ...d }) => ({ ...d, usagerId: usagerIds[usagerIndex]! })),
  );
  return { agents: DEMO_AGENTS.length, rdvs: drafts.length };
}
