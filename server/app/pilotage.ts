import { formatIsoWithOffset, type Guichet, type HolidayCalendar, type Interval } from '../domain/index.ts';
import { type PlacedRdv, replanTargets, serviceWarnings } from '../domain/offer-changes.ts';
import type { Tx } from '../infra/db.ts';
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

/** The state of the offer a change leaves, for the impact and the "replan" targets. */
export type NextOffer = {
  guichets: Guichet[];
  fermetures: (Interval & { guichetId: number | null })[];
  durationMinutes: number;
};

/**
 * Applies one change of the offer with its impact: `affected` are the future rdvs it leaves
 * outside the new offer. `save` writes the change in the transaction; then each affected rdv is
 * kept, replanned or cancelled as decided, in the same transaction.
 */
export async function changeWithImpact(
  deps: Deps,
  agent: SignedInAgent,
  service: AgentService,
  change: {
    action: string;
    affected: FutureRdv[];
    next: NextOffer;
    options: ImpactOptions;
    before?: Record<string, unknown>;
    after?: Record<string, unknown>;
    save: (tx: Tx) => Promise<void>;
    warnings?: { code: string; message: string }[];
  },
): Promise<ImpactAnswer> {
  const tz = service.timeZone;
  const affected = change.affected.map((r) => affectedView(r, tz));
  const warnings = change.warnings ?? [];
  if (change.options.preview) return { affected, saved: false, warnings };
  const decide = (r: FutureRdv): RdvDecision | undefined =>
    change.options.decisions?.[String(r.id)] ?? change.options.decision;
  const undecided = change.affected.filter((r) => !decide(r));
  if (undecided.length > 0) {
    throw new AppError(
      'DECISION_REQUIRED',
      `Ce changement laisserait ${undecided.length} rendez-vous hors de l’offre : pour chacun, choisissez de le garder, de le replanifier ou de l’annuler.`,
      { affected: undecided.map((r) => affectedView(r, tz)) },
    );
  }
  const now = deps.clock.now();
  const toReplan = change.affected.filter((r) => decide(r) === 'replan');
  const targets = await targetsFor(deps, service, change.next, toReplan);
  const outcome = {
    kept: [] as string[],
    replanned: [] as string[],
    cancelled: [] as string[],
    unplaced: [] as string[],
  };
  const touched: { id: number; freed: PlacedRdv }[] = [];
  await deps.sql.begin(async (tx) => {
    await lockServiceConfig(tx, service.id);
    await change.save(tx);
    for (const r of change.affected) {
      const d = decide(r)!;
      const target = d === 'replan' ? targets.get(r.id) : undefined;
      if (d === 'cancel') {
        await markRdvCancelled(tx, r.id, now, 'service');
        const [row] = await tx<{ email: string | null }[]>`
          select u.email from rdvs r join usagers u on u.id = r.usager_id where r.id = ${r.id}`;
        await queueCancellationNotice(tx, { id: r.id, email: row?.email ?? null }, now);
        outcome.cancelled.push(r.code);
        touched.push({ id: r.id, freed: r });
      } else if (d === 'replan' && target) {
        await moveRdv(
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
          actor: 'agent',
          agentId: agent.context.agentId,
          action: 'rdv.replanifie',
          serviceId: service.id,
          rdvId: r.id,
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
      if (d === 'cancel') {
        await insertAudit(tx, {
          actor: 'agent',
          agentId: agent.context.agentId,
          action: 'rdv.annule',
          serviceId: service.id,
          rdvId: r.id,
          before: { statut: 'confirme' },
          after: { statut: 'annule' },
          details: { origine: change.action },
        });
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
  });
  await announce(deps, service, touched);
  return { affected, saved: true, warnings, outcome };
}

/** Free slots of the new offer for the rdvs to replan (the moved ones do not block themselves). */
async function targetsFor(deps: Deps, service: AgentService, next: NextOffer, rdvs: FutureRdv[]) {
  if (rdvs.length === 0) return new Map<number, { guichetId: number; start: number; end: number } | null>();
  const now = deps.clock.now().getTime();
  const rules = {
    timeZone: service.timeZone,
    holidayCalendar: service.holidayCalendar,
    durationMinutes: next.durationMinutes,
  };
  const { busy } = await loadOccupation(deps.sql, service.id, { start: now, end: now + 62 * 86_400_000 });
  const held = await deps.holds.live(service.id);
  return replanTargets(
    { rules, guichets: next.guichets, fermetures: next.fermetures, busy: [...busy, ...held], now },
    rdvs,
  );
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

/** The offer as it stands, as the domain's rules read it. */
export async function currentOffer(deps: Pick<Deps, 'sql' | 'clock'>, service: AgentService) {
  const [guichets, fermetures, rdvs] = await Promise.all([
    loadGuichetConfigs(deps.sql, service.id),
    loadFermetures(deps.sql, service.id, deps.clock.now()),
    futureRdvs(deps.sql, service.id, deps.clock.now()),
  ]);
  return { guichets, fermetures, rdvs };
}

export const fermetureIntervals = (fs: readonly FermetureConfig[]) =>
  fs.map((f) => ({ start: f.start, end: f.end, guichetId: f.guichetId }));
