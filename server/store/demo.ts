import { createHash } from 'node:crypto';
import {
  CANCEL_REASONS,
  CONTRE_APPEL_COMMENTS,
  DEMO_AGENTS,
  DEMO_PASSWORD,
  DEMO_SERVICES,
  DEMO_VERSION,
  type DemoGuichet,
  NOMS,
  PRECISIONS,
  PRENOMS_F,
  PRENOMS_M,
  RAISONS_SOCIALES,
} from '../../db/seed/demo.ts';
import { postalUpper } from '../../db/seed/referential.ts';
import { generateRdvCode } from '../domain/rdv-code.ts';
import { addDays, localDate, parseTime, weekday, zonedTime } from '../domain/time.ts';
import type { Canal, HolidayCalendar, RdvType } from '../domain/types.ts';
import { isWorkingDay } from '../domain/working-days.ts';
import type { Sql, Tx } from '../infra/db.ts';
import { hashPassword } from '../infra/password.ts';
import { recordChecksum, recordedChecksum, SEED_LOCK } from './referential.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const WINDOW_PAST_DAYS = 20;
const WINDOW_FUTURE_DAYS = 30;

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

// Deterministic draws (mulberry32): the same `now` gives the same agenda, which makes demos and
// screenshots reproducible. Rdv codes stay cryptographically random.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const digits = (rng: Rng, n: number): string =>
  Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');

/** A SIREN passing the Luhn check, as real ones do. */
function siren(rng: Rng): string {
  const base = `${1 + Math.floor(rng() * 9)}${digits(rng, 7)}`;
  for (let d = 0; d < 10; d++) {
    const candidate = base + d;
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let v = Number(candidate[8 - i]);
      if (i % 2 === 1) {
        v *= 2;
        if (v > 9) v -= 9;
      }
      sum += v;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

interface DemoUsager {
  type: 'particulier' | 'professionnel';
  civilite: 'M' | 'MME';
  nomUsage: string;
  nomNaissance: string | null;
  prenoms: string;
  dateNaissance: string | null;
  numeroFiscal: string | null;
  siren: string | null;
  raisonSociale: string | null;
  telephones: string[];
  rappel: string[];
  email: string | null;
}

function demoUsagers(rng: Rng, count: number): DemoUsager[] {
  const usagers: DemoUsager[] = [];
  const phones = new Set<string>();
  const mobile = () => {
    let p: string;
    do p = `+3363998${digits(rng, 4)}`;
    while (phones.has(p));
    phones.add(p);
    return p;
  };
  for (let i = 0; i < count; i++) {
    const pro = i % 8 === 7;
    const femme = rng() < 0.5;
    const nom = pick(rng, NOMS);
    const prenoms = pick(rng, femme ? PRENOMS_F : PRENOMS_M);
    const marriedName = femme && rng() < 0.3 ? pick(rng, NOMS) : null;
    const telephones = [mobile()];
    if (rng() < 0.3) telephones.push(`+33261910${digits(rng, 3)}`);
    const emailLocal = `${postalUpper(prenoms.split(' ')[0]!)}.${postalUpper(marriedName ?? nom)}`
      .toLowerCase()
      .replace(/ /g, '-');
    const year = 1940 + Math.floor(rng() * 65);
    usagers.push({
      type: pro ? 'professionnel' : 'particulier',
      civilite: femme ? 'MME' : 'M',
      nomUsage: marriedName ?? nom,
      nomNaissance: marriedName ? nom : null,
      prenoms,
      dateNaissance:
        !pro && rng() < 0.6
          ? `${year}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`
          : null,
      // SPIs start with 0 to 3; the demo's are made up and belong to no one.
      numeroFiscal: !pro && rng() < 0.6 ? `${Math.floor(rng() * 4)}${digits(rng, 12)}` : null,
      siren: pro ? siren(rng) : null,
      raisonSociale: pro ? pick(rng, RAISONS_SOCIALES) : null,
      telephones,
      rappel: rng() < 0.4 ? [pick(rng, ['matin', 'apres-midi'])] : [],
      email: rng() < 0.75 ? `${emailLocal}${i}@${pick(rng, ['example.com', 'example.org'])}` : null,
    });
  }
  return usagers;
}

interface GuichetRef {
  id: number;
  serviceId: number;
  spec: DemoGuichet;
  timeZone: string;
  calendar: HolidayCalendar;
  duration: number;
  motifs: { id: number; code: string }[];
  agentsInside: number[];
  agentsOutside: number[];
}

interface RdvDraft {
  code: string;
  serviceId: number;
  guichetId: number;
  motifId: number;
  usagerIndex: number;
  type: RdvType;
  start: number;
  end: number;
  canal: Canal;
  status: 'confirme' | 'annule';
  precisions: string;
  arrivedAt: number | null;
  contreAppelDate: string | null;
  contreAppelComment: string | null;
  contreAppelAnnulation: boolean | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  createdBy: number | null;
  createdAt: number;
}

function precisionsFor(rng: Rng, code: string): string {
  const key =
    Object.keys(PRECISIONS).find((k) => code.startsWith(k)) ?? (code.startsWith('TRESO') ? 'TRESO' : '');
  return pick(rng, PRECISIONS[key] ?? PRECISIONS['SIP-AUTRE']!);
}

function draftRdvs(
  rng: Rng,
  now: number,
  guichets: GuichetRef[],
  busy: Map<number, { start: number; end: number }[]>,
  usagerCount: number,
  takenCodes: Set<string>,
): RdvDraft[] {
  const drafts: RdvDraft[] = [];
  const code = () => {
    let c: string;
    do c = generateRdvCode();
    while (takenCodes.has(c));
    takenCodes.add(c);
    return c;
  };
  for (const g of guichets) {
    const taken = busy.get(g.id) ?? [];
    const free = (start: number, end: number) => taken.every((b) => b.end <= start || b.start >= end);
    const today = localDate(now, g.timeZone);
    for (let d = -WINDOW_PAST_DAYS; d <= WINDOW_FUTURE_DAYS; d++) {
      const date = addDays(today, d);
      if (!isWorkingDay(date, g.calendar)) continue;
      const wd = weekday(date);
      for (const plage of g.spec.plages) {
        if (!(plage.weekdays as readonly number[]).includes(wd)) continue;
        const plageEnd = parseTime(plage.end);
        for (let m = parseTime(plage.start); m + g.duration <= plageEnd; m += g.duration) {
          if (rng() >= g.spec.fill) continue;
          const type: RdvType = g.spec.types.length > 1 && rng() < 0.3 ? 'telephone' : g.spec.types[0]!;
          // Now and then an agent booked a longer phone rdv (two slots), as in the reference's list.
          const slots = type === 'telephone' && m + 2 * g.duration <= plageEnd && rng() < 0.25 ? 2 : 1;
          const start = zonedTime(date, formatMinutes(m), g.timeZone);
          const end = start + slots * g.duration * MINUTE;
          if (!free(start, end)) continue;
          taken.push({ start, end });

          let canal = pickCanal(rng, g.spec.bookableBy);
          // Internet and external agents book at least two working days ahead; agents of the
          // service also book for the same week. Nothing is created in the future.
          let createdAt = start - (canal === 'agentService' ? rng() * 20 : 3 + rng() * 25) * DAY;
          if (createdAt > now - 3_600_000) createdAt = now - 3_600_000 - rng() * 2 * DAY;
          // Booked too late for the public channels: only the service's own agents could have.
          if (
            canal !== 'agentService' &&
            start - createdAt < 3 * DAY &&
            g.spec.bookableBy.includes('agentService')
          ) {
            canal = 'agentService';
          }
          const createdBy =
            canal === 'agentService'
              ? g.agentsInside.length
                ? pick(rng, g.agentsInside)
                : null
              : canal === 'agentExterieur' && g.agentsOutside.length
                ? pick(rng, g.agentsOutside)
                : null;
          const motif = pick(rng, g.motifs);
          const draft: RdvDraft = {
            code: code(),
            serviceId: g.serviceId,
            guichetId: g.id,
            motifId: motif.id,
            usagerIndex: Math.floor(rng() * usagerCount),
            type,
            start,
            end,
            canal,
            status: 'confirme',
            precisions: precisionsFor(rng, motif.code),
            arrivedAt: null,
            contreAppelDate: null,
            contreAppelComment: null,
            contreAppelAnnulation: null,
            cancelledAt: null,
            cancelReason: null,
            createdBy,
            createdAt,
          };
          const past = end <= now;
          const createdDay = localDate(createdAt, g.timeZone);
          const rdvDay = localDate(start, g.timeZone);
          const lastCallDay = [addDays(rdvDay, -1), today].sort()[0]!;
          if (lastCallDay > createdDay && rng() < 0.15) {
            const callDay = lastCallDay;
            const cancels = rng() < 0.35;
            draft.contreAppelDate = callDay;
            draft.contreAppelAnnulation = cancels;
            draft.contreAppelComment = cancels
              ? CONTRE_APPEL_COMMENTS[1]!
              : pick(
                  rng,
                  CONTRE_APPEL_COMMENTS.filter((_, i) => i !== 1),
                );
            if (cancels) {
              draft.status = 'annule';
              draft.cancelledAt = Math.min(zonedTime(callDay, '10:15', g.timeZone), now - MINUTE);
              draft.cancelReason = 'Annulé suite au contre-appel';
            }
          }
          if (draft.status === 'confirme' && rng() < 0.07) {
            draft.status = 'annule';
            draft.cancelledAt = createdAt + rng() * (Math.min(start, now) - createdAt);
            draft.cancelReason = pick(rng, CANCEL_REASONS);
          }
          if (draft.status === 'annule') {
            // A cancelled rdv frees its slot for someone else.
            taken.pop();
          } else if (past && type === 'physique' && rng() < 0.85) {
            draft.arrivedAt = start - Math.floor(rng() * 12) * MINUTE;
          }
          drafts.push(draft);
        }
      }
    }
  }
  return drafts;
}

function formatMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function pickCanal(rng: Rng, allowed: readonly Canal[]): Canal {
  const weights: Record<Canal, number> = { internet: 0.5, agentExterieur: 0.15, agentService: 0.35 };
  const total = allowed.reduce((s, c) => s + weights[c], 0);
  let r = rng() * total;
  for (const c of allowed) {
    r -= weights[c];
    if (r < 0) return c;
  }
  return allowed[allowed.length - 1]!;
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
    await tx`select pg_advisory_xact_lock(hashtext(${SEED_LOCK}))`;
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
  const codes = [...DEMO_SERVICES.map((s) => s.codePrincipal)];
  const services = await tx<
    { id: number; codePrincipal: string; kind: string; timeZone: string; holidayCalendar: HolidayCalendar }[]
  >`
    select id, code_principal, kind, time_zone, holiday_calendar from services
    where code_principal = any(${codes}::text[])`;
  const serviceByCode = new Map(services.map((s) => [s.codePrincipal, s]));
  for (const c of codes) {
    if (!serviceByCode.has(c)) throw new Error(`Démo : service ${c} absent, chargez d'abord le référentiel`);
  }

  const agentIds = new Map<string, number>();
  for (const a of DEMO_AGENTS) {
    const [row] = await tx<{ id: number }[]>`
      insert into agents (login, display_name, email, password_hash, administrateur)
      values (${a.login}, ${a.displayName}, ${a.email}, ${passwordHash}, ${a.administrateur})
      on conflict (login) do update set display_name = excluded.display_name, email = excluded.email,
        administrateur = excluded.administrateur, active = true
      returning id`;
    agentIds.set(a.login, row!.id);
    for (const h of a.habilitations) {
      await tx`
        insert into habilitations (agent_id, service_id, profile)
        values (${row!.id}, ${serviceByCode.get(h.codePrincipal)!.id}, ${h.profile})
        on conflict (agent_id, service_id) do update set profile = excluded.profile`;
    }
  }

  const guichets: GuichetRef[] = [];
  for (const spec of DEMO_SERVICES) {
    const service = serviceByCode.get(spec.codePrincipal)!;
    await tx`update services set active = true, rdv_duration_minutes = ${spec.durationMinutes}, updated_at = now()
             where id = ${service.id}`;
    const motifs = await tx<{ id: number; code: string; leaf: boolean }[]>`
      select m.id, m.code, not exists (select 1 from motifs c where c.parent_id = m.id and c.active) as leaf
      from motifs m where m.service_kind = ${service.kind} and m.active order by m.id`;
    const inside = DEMO_AGENTS.filter((a) =>
      a.habilitations.some((h) => h.codePrincipal === spec.codePrincipal),
    );
    const outside = DEMO_AGENTS.filter((a) => !a.administrateur && !inside.includes(a));
    for (const [position, g] of spec.guichets.entries()) {
      const [row] = await tx<{ id: number }[]>`
        insert into guichets (service_id, name, open, allows_physique, allows_telephone, bookable_internet,
                              bookable_agent_exterieur, bookable_agent_service, position)
        values (${service.id}, ${g.name}, true, ${g.types.includes('physique')}, ${g.types.includes('telephone')},
                ${g.bookableBy.includes('internet')}, ${g.bookableBy.includes('agentExterieur')},
                ${g.bookableBy.includes('agentService')}, ${position})
        on conflict (service_id, name) do update set open = true, allows_physique = excluded.allows_physique,
          allows_telephone = excluded.allows_telephone, bookable_internet = excluded.bookable_internet,
          bookable_agent_exterieur = excluded.bookable_agent_exterieur,
          bookable_agent_service = excluded.bookable_agent_service, position = excluded.position
        returning id`;
      const guichetId = row!.id;
      await tx`delete from plages where guichet_id = ${guichetId}`;
      const plages = g.plages.flatMap((p) =>
        p.weekdays.map((weekday) => ({ weekday, start: p.start, end: p.end })),
      );
      await tx`
        insert into plages (guichet_id, weekday, start_time, end_time)
        select ${guichetId}, t.wd, t.s, t.e
        from unnest(${plages.map((p) => p.weekday)}::int[], ${plages.map((p) => p.start)}::time[],
                    ${plages.map((p) => p.end)}::time[]) as t(wd, s, e)`;
      // Every motif of the kind, parents included: a guichet offers the tree, the usager picks a leaf.
      await tx`
        insert into guichet_motifs (guichet_id, motif_id)
        select ${guichetId}, unnest(${motifs.map((m) => m.id)}::int[])
        on conflict do nothing`;
      guichets.push({
        id: guichetId,
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
  const from = new Date(now - (WINDOW_PAST_DAYS + 2) * DAY);
  const to = new Date(now + (WINDOW_FUTURE_DAYS + 2) * DAY);
  const existing = await tx<{ guichetId: number; start: Date; end: Date }[]>`
    select guichet_id, lower(during) as start, upper(during) as end from rdvs
    where active and guichet_id = any(${guichets.map((g) => g.id)}::int[])
      and during && tstzrange(${from}, ${to})`;
  const busy = new Map<number, { start: number; end: number }[]>();
  for (const r of existing) {
    const list = busy.get(r.guichetId) ?? [];
    list.push({ start: r.start.getTime(), end: r.end.getTime() });
    busy.set(r.guichetId, list);
  }
  const takenCodes = new Set(
    (await tx<{ code: string }[]>`select code from rdvs where active`).map((r) => r.code),
  );

  const rng = prng(Math.floor(now / DAY));
  const usagers = demoUsagers(rng, 48);
  const usagerIds: number[] = [];
  for (const u of usagers) {
    const [row] = await tx<{ id: string }[]>`
      insert into usagers (type, civilite, nom_usage, nom_naissance, prenoms, date_naissance, numero_fiscal, siren,
                           raison_sociale, telephones, rappel, email)
      values (${u.type}, ${u.civilite}, ${u.nomUsage}, ${u.nomNaissance}, ${u.prenoms}, ${u.dateNaissance},
              ${u.numeroFiscal}, ${u.siren}, ${u.raisonSociale}, ${u.telephones}::text[], ${u.rappel}::text[], ${u.email})
      returning id`;
    usagerIds.push(Number(row!.id));
  }

  const drafts = draftRdvs(rng, now, guichets, busy, usagers.length, takenCodes);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  // postgres.js types an array parameter after its first element: nullable booleans and integers
  // travel as text and are cast back in SQL.
  const text = (v: boolean | number | null) => (v === null ? null : String(v));
  await tx`
    insert into rdvs (code, service_id, guichet_id, motif_id, usager_id, type, during, canal, status, precisions,
                      arrived_at, contre_appel_date, contre_appel_comment, contre_appel_annulation, cancelled_at,
                      cancel_reason, created_by_agent_id, created_at, updated_at)
    select t.code, t.service_id, t.guichet_id, t.motif_id, t.usager_id, t.type, tstzrange(t.s, t.e, '[)'), t.canal,
           t.status, t.precisions, t.arrived_at, t.ca_date, t.ca_comment, t.ca_annulation::boolean, t.cancelled_at,
           t.cancel_reason, t.created_by::int, t.created_at, coalesce(t.cancelled_at, t.created_at)
    from unnest(
      ${drafts.map((d) => d.code)}::text[], ${drafts.map((d) => d.serviceId)}::int[],
      ${drafts.map((d) => d.guichetId)}::int[], ${drafts.map((d) => d.motifId)}::int[],
      ${drafts.map((d) => usagerIds[d.usagerIndex]!)}::bigint[], ${drafts.map((d) => d.type)}::text[],
      ${drafts.map((d) => iso(d.start))}::timestamptz[], ${drafts.map((d) => iso(d.end))}::timestamptz[],
      ${drafts.map((d) => d.canal)}::text[], ${drafts.map((d) => d.status)}::text[],
      ${drafts.map((d) => d.precisions)}::text[], ${drafts.map((d) => iso(d.arrivedAt))}::timestamptz[],
      ${drafts.map((d) => d.contreAppelDate)}::date[], ${drafts.map((d) => d.contreAppelComment)}::text[],
      ${drafts.map((d) => text(d.contreAppelAnnulation))}::text[], ${drafts.map((d) => iso(d.cancelledAt))}::timestamptz[],
      ${drafts.map((d) => d.cancelReason)}::text[], ${drafts.map((d) => text(d.createdBy))}::text[],
      ${drafts.map((d) => iso(d.createdAt))}::timestamptz[]
    ) as t(code, service_id, guichet_id, motif_id, usager_id, type, s, e, canal, status, precisions, arrived_at,
           ca_date, ca_comment, ca_annulation, cancelled_at, cancel_reason, created_by, created_at)`;
  return { agents: DEMO_AGENTS.length, rdvs: drafts.length };
}
