import {
  formatIsoWithOffset,
  type Guichet,
  type HolidayCalendar,
  type ServiceRules,
} from '../domain/index.ts';
import {
  type OfferState,
  type PlacedRdv,
  rdvsPushedOut,
  replanTargets,
  serviceWarnings,
} from '../domain/offer-changes.ts';
import type { Db, Tx } from '../infra/db.ts';
import {
  type AgentService,
  findAgentService,
  listServiceMotifs,
  type MotifChoice,
  moveRdv,
} from '../store/agenda.ts';
import {
  type FermetureConfig,
  type FutureRdv,
  futureRdvs,
  type GuichetConfig,
  loadFermetures,
  loadGuichetConfigs,
  lockServiceConfig,
  type ServiceState,
} from '../store/config.ts';
import { loadOccupation } from '../store/offer.ts';
import { insertAudit } from '../store/rdvs.ts';
import { markRdvCancelled } from '../store/self-service.ts';
import { agendaRdvById } from './agenda.ts';
import { grant } from './agent-access.ts';
import { publishRdv } from './agent-booking.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';
import { queueCancellationNotice, queueReplanNotice } from './rdv-notices.ts';

/*
 * "Configurer le service", impact first: every change of the offer computes the future rdvs it
 * would leave outside it, shows them (`preview`), and saves only with a decision for each — keep
 * it, replan it onto the new offer, or cancel it with the notice email. Nothing is lost silently;
 * the exclusion constraint still guards every move. Each change is audited and announced live.
 */

export type RdvDecision = 'keep' | 'replan' | 'cancel';

export type ImpactOptions = {
  preview?: boolean | undefined;
  /** One decision for every affected rdv… */
  decision?: RdvDecision | undefined;
  /** …or one per rdv (by id), which wins. */
  decisions?: Record<string, RdvDecision> | undefined;
  /**
   * The rdvs the common `decision` is for: the ids the preview listed. An rdv the change would
   * push out that is neither among them nor in `decisions` (booked since) refuses the change.
   */
  affectedIds?: number[] | undefined;
};

export type AffectedRdv = {
  id: number;
  code: string;
  start: string;
  end: string;
  guichetId: number;
  usager: string;
};

export type ImpactAnswer = {
  affected: AffectedRdv[];
  saved: boolean;
  warnings: { code: string; message: string }[];
  outcome?: { kept: string[]; replanned: string[]; cancelled: string[]; unplaced: string[] };
};

export type ServiceConfig = {
  code: string;
  name: string;
  kind: string;
  timeZone: string;
  active: boolean;
  durationMinutes: number;
  holidayCalendar: HolidayCalendar;
  selfCancellation: boolean;
  guichets: GuichetConfig[];
  fermetures: { id: number; guichetId: number | null; start: string; end: string; reason: string }[];
  /** The motifs a guichet may offer: the national list's leaves for this kind of service. */
  motifs: MotifChoice[];
  warnings: { code: string; message: string }[];
};

export async function configurable(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  code: string,
): Promise<AgentService> {
  const service = await findAgentService(deps.sql, code);
  if (!service) throw notFound(`Aucun service ne porte le code ${code}.`);
  grant(agent, 'service.configure', service);
  return service;
}

/** Guichets as the domain's rules read them. */
export const asDomain = (g: GuichetConfig): Guichet => ({
  id: g.id,
  name: g.name,
  open: g.open,
  allowsPhysique: g.types.includes('physique'),
  allowsTelephone: g.types.includes('telephone'),
  bookableBy: g.bookableBy,
  motifIds: g.motifIds,
  plages: g.plages,
});

export async function serviceConfig(
  deps: Pick<Deps, 'sql' | 'clock'>,
  agent: SignedInAgent,
  code: string,
): Promise<ServiceConfig> {
  const service = await configurable(deps, agent, code);
  const [guichets, fermetures, [settings], motifs] = await Promise.all([
    loadGuichetConfigs(deps.sql, service.id),
    loadFermetures(deps.sql, service.id, deps.clock.now()),
    deps.sql<
      { selfCancellation: boolean }[]
    >`select self_cancellation from services where id = ${service.id}`,
    listServiceMotifs(deps.sql, service.kind),
  ]);
  const tz = service.timeZone;
  return {
    code: service.codePrincipal,
    name: service.name,
    kind: service.kind,
    timeZone: tz,
    active: service.active,
    durationMinutes: service.rdvDurationMinutes,
    holidayCalendar: service.holidayCalendar,
    selfCancellation: settings!.selfCancellation,
    guichets,
    fermetures: fermetures.map((f) => ({
      ...f,
      start: formatIsoWithOffset(f.start, tz),
      end: formatIsoWithOffset(f.end, tz),
    })),
    motifs,
    warnings: serviceWarnings({
      active: service.active,
      durationMinutes: service.rdvDurationMinutes,
      guichets: guichets.map(asDomain),
    }),
  };
}

export const invalid = (errors: { field: string; message: string }[]) =>
  new AppError('VALIDATION_FAILED', errors.map((e) => e.message).join(' '), { errors });

const affectedView = (r: FutureRdv, tz: string): AffectedRdv => ({
  id: r.id,
  code: r.code,
  start: formatIsoWithOffset(r.start, tz),
  end: formatIsoWithOffset(r.end, tz),
  guichetId: r.guichetId,
  usager: `${r.nom} ${r.prenoms}`.toUpperCase(),
});

/** The offer as it stands, read at once: the service's settings, guichets, fermetures, future rdvs. */
export type OfferSnapshot = {
  settings: ServiceState;
  guichets: GuichetConfig[];
  fermetures: FermetureConfig[];
  rdvs: FutureRdv[];
};

/** One change of the offer, planned on a snapshot: the offer it leaves, and how it is saved. */
export type PlannedChange = {
  action: string;
  /** The offer after the change: the impact and the "replan" targets are measured on it. */
  next: OfferState;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  warnings?: { code: string; message: string }[];
  save: (tx: Tx) => Promise<void>;
};

const stateOf = (service: AgentService): ServiceState => ({
  active: service.active,
  durationMinutes: service.rdvDurationMinutes,
  holidayCalendar: service.holidayCalendar,
  timeZone: service.timeZone,
});

export const rulesOf = (s: ServiceState): ServiceRules => ({
  timeZone: s.timeZone,
  holidayCalendar: s.holidayCalendar,
  durationMinutes: s.durationMinutes,
});

/** The offer of a snapshot as the domain's rules read it. */
export const offerOf = (s: OfferSnapshot): OfferState => ({
  rules: rulesOf(s.settings),
  guichets: s.guichets.map(asDomain),
  fermetures: fermetureIntervals(s.fermetures),
});

async function readOffer(
  db: Db,
  serviceId: number,
  settings: ServiceState,
  now: Date,
): Promise<OfferSnapshot> {
  const [guichets, fermetures, rdvs] = await Promise.all([
    loadGuichetConfigs(db, serviceId),
    loadFermetures(db, serviceId, now),
    futureRdvs(db, serviceId, now),
  ]);
  return { settings, guichets, fermetures, rdvs };
}

/**
 * Applies one change of the offer with its impact: the future rdvs it pushes out of the offer.
 * `plan` builds the change on a snapshot of the offer: once on a plain read for the preview, and
 * again in the transaction, on the offer read under the service's configuration lock — which
 * also holds off new bookings of the service (an rdv's insert waits on the service's row), so the
 * rdvs decided about are the rdvs the change touches. The decision covers the rdvs it names
 * (`decisions`) and, for the common `decision`, those the head was shown (`affectedIds`, else
 * those of a plain read just before): any other rdv the change would push out, booked meanwhile,
 * refuses the change (DECISION_REQUIRED, listing every affected rdv) rather than being moved,
 * cancelled or left outside unseen. Then each affected rdv is kept, replanned or cancelled.
 */
export async function changeWithImpact(
  deps: Deps,
  agent: SignedInAgent,
  service: AgentService,
  options: ImpactOptions,
  plan: (offer: OfferSnapshot) => PlannedChange,
): Promise<ImpactAnswer> {
  const tz = service.timeZone;
  const now = deps.clock.now();
  const pushedOut = (offer: OfferSnapshot, change: PlannedChange) =>
    rdvsPushedOut(offerOf(offer), change.next, offer.rdvs);
  if (options.preview || (options.decision && !options.affectedIds)) {
    const seen = await readOffer(deps.sql, service.id, stateOf(service), now);
    const change = plan(seen);
    const affected = pushedOut(seen, change);
    if (options.preview)
      return {
        affected: affected.map((r) => affectedView(r, tz)),
        saved: false,
        warnings: change.warnings ?? [],
      };
    options = { ...options, affectedIds: affected.map((r) => r.id) };
  }
  const covered = new Set([
    ...Object.keys(options.decisions ?? {}).map(Number),
    ...(options.decision ? (options.affectedIds ?? []) : []),
  ]);
  const decide = (r: FutureRdv) => options.decisions?.[String(r.id)] ?? options.decision;
  const outcome = {
    kept: [] as string[],
    replanned: [] as string[],
    cancelled: [] as string[],
    unplaced: [] as string[],
  };
  const touched: { id: number; freed: PlacedRdv }[] = [];
  const { affected, warnings } = await deps.sql.begin(async (tx) => {
    const settings = await lockServiceConfig(tx, service.id);
    const offer = await readOffer(tx, service.id, settings, now);
    const change = plan(offer);
    const affected = pushedOut(offer, change);
    const undecided = affected.filter((r) => !covered.has(r.id));
    if (undecided.length > 0) throw decisionRequired(affected, undecided.length, options, tz);
    const targets = await targetsFor(
      deps,
      tx,
      service.id,
      change.next,
      affected.filter((r) => decide(r) === 'replan'),
    );
    await change.save(tx);
    for (const r of affected) {
      const d = decide(r);
      const target = d === 'replan' ? targets.get(r.id) : undefined;
      const audit = {
        actor: 'agent' as const,
        agentId: agent.context.agentId,
        serviceId: service.id,
        rdvId: r.id,
      };
      if (d === 'cancel') {
        // Cancelled meanwhile (by the usager, an agent): no second notice, no second audit line.
        if (!(await markRdvCancelled(tx, r.id, now, 'service'))) continue;
        const [row] = await tx<{ email: string | null }[]>`
          select u.email from rdvs r join usagers u on u.id = r.usager_id where r.id = ${r.id}`;
        await queueCancellationNotice(tx, { id: r.id, email: row?.email ?? null }, now);
        await insertAudit(tx, {
          ...audit,
          action: 'rdv.annule',
          before: { statut: 'confirme' },
          after: { statut: 'annule' },
          details: { origine: change.action },
        });
        outcome.cancelled.push(r.code);
        touched.push({ id: r.id, freed: r });
      } else if (d === 'replan' && target) {
        const moved = await moveRdv(
          tx,
          r.id,
          {
            guichetId: target.guichetId,
            motifId: r.motifId,
            type: r.type,
            start: new Date(target.start),
            end: new Date(target.end),
          },
          now,
        );
        if (!moved) continue;
        const [row] = await tx<{ email: string | null; moves: number }[]>`
          select u.email, (select count(*)::int from audit_log a where a.rdv_id = r.id and a.action = 'rdv.replanifie') as moves
          from rdvs r join usagers u on u.id = r.usager_id where r.id = ${r.id}`;
        await queueReplanNotice(
          tx,
          { id: r.id, email: row?.email ?? null, previousStart: r.start, start: target.start },
          (row?.moves ?? 0) + 1,
          now,
        );
        await insertAudit(tx, {
          ...audit,
          action: 'rdv.replanifie',
          before: { guichetId: r.guichetId, start: r.start, end: r.end },
          after: target,
          details: { origine: change.action },
        });
        outcome.replanned.push(r.code);
        touched.push({ id: r.id, freed: r });
      } else {
        // Kept as it is (or "replan" found no slot in the new offer: kept, and said so).
        (d === 'replan' ? outcome.unplaced : outcome.kept).push(r.code);
      }
    }
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: change.action,
      serviceId: service.id,
      before: change.before ?? null,
      after: change.after ?? null,
      details: { rdvs: outcome },
    });
    return { affected, warnings: change.warnings ?? [] };
  });
  await announce(deps, service, touched);
  return { affected: affected.map((r) => affectedView(r, tz)), saved: true, warnings, outcome };
}

/** The refusal of a change whose affected rdvs are not all decided: every one listed, to decide again. */
function decisionRequired(affected: FutureRdv[], undecided: number, options: ImpactOptions, tz: string) {
  const decided = options.decision !== undefined || options.decisions !== undefined;
  return new AppError(
    'DECISION_REQUIRED',
    decided
      ? `${undecided} rendez-vous sans décision (pris depuis l’aperçu, par exemple) sortiraient aussi de l’offre avec ce changement : décidez pour chacun des ${affected.length} rendez-vous listés de le garder, de le replanifier ou de l’annuler.`
      : `Ce changement laisserait ${affected.length} rendez-vous hors de l’offre : pour chacun, choisissez de le garder, de le replanifier ou de l’annuler.`,
    { affected: affected.map((r) => affectedView(r, tz)) },
  );
}

/** Free slots of the new offer for the rdvs to replan, read under the lock (see replanTargets). */
async function targetsFor(deps: Deps, tx: Tx, serviceId: number, next: OfferState, rdvs: FutureRdv[]) {
  if (rdvs.length === 0) return new Map<number, { guichetId: number; start: number; end: number } | null>();
  const now = deps.clock.now().getTime();
  const { busy } = await loadOccupation(tx, serviceId, { start: now, end: now + 62 * 86_400_000 });
  const held = await deps.holds.live(serviceId);
  return replanTargets({ ...next, busy: [...busy, ...held], now }, rdvs);
}

/** After commit: the offer changed for everyone, and each moved or cancelled rdv is redrawn. */
async function announce(
  deps: Deps,
  service: AgentService,
  touched: { id: number; freed: PlacedRdv }[],
): Promise<void> {
  const tz = service.timeZone;
  await deps.events.configChanged({ serviceCode: service.codePrincipal });
  for (const t of touched) {
    const rdv = await agendaRdvById(deps, t.id, tz);
    if (!rdv) continue;
    publishRdv(deps, service.codePrincipal, 'rdv-updated', rdv);
    deps.events.slotFreed({
      serviceCode: service.codePrincipal,
      start: formatIsoWithOffset(t.freed.start, tz),
      end: formatIsoWithOffset(t.freed.end, tz),
      type: t.freed.type,
    });
  }
}

export const fermetureIntervals = (fs: readonly FermetureConfig[]) =>
  fs.map((f) => ({ start: f.start, end: f.end, guichetId: f.guichetId }));
