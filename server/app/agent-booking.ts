import {
  assertAgentBooking,
  assertNotCancelled,
  assertOfferedSlot,
  assertReplanMotif,
  type Canal,
  DomainError,
  formatIsoWithOffset,
  type Guichet,
  type RdvType,
  type Usager,
} from '../domain/index.ts';
import type { Tx } from '../infra/db.ts';
import type { AgendaRdv } from '../realtime/events.ts';
import {
  type AgentService,
  countReplans,
  findAgendaRdv,
  findAgentService,
  listServiceMotifs,
  lockAgentRdv,
  moveRdv,
} from '../store/agenda.ts';
import type { ServiceOffer } from '../store/offer.ts';
import { insertAudit, insertUsager, usagerHasFutureRdv } from '../store/rdvs.ts';
import { agendaRdvById } from './agenda.ts';
import { grant, serviceFor } from './agent-access.ts';
import type { SignedInAgent } from './auth.ts';
import { insertWithFreshCode } from './booking.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';
import { occupation, offerOf } from './offer.ts';
import { queueConfirmation, queueReplanNotice } from './rdv-notices.ts';

type PgError = Error & { code?: string; constraint_name?: string };
const pgCode = (err: unknown) => (err as PgError)?.code;

const overlap = () =>
  new DomainError(
    'SLOT_TAKEN',
    'Ce créneau chevauche un autre rendez-vous du guichet : choisissez un autre horaire ou un autre guichet.',
  );

/** Runs a transaction; an overlap caught by the exclusion constraint is SLOT_TAKEN, a deadlock retried once. */
export async function guarded<T>(
  deps: Pick<Deps, 'sql' | 'metrics'>,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const attempt = () => deps.sql.begin(work) as Promise<T>;
  try {
    return await attempt().catch((err) => (pgCode(err) === '40P01' ? attempt() : Promise.reject(err)));
  } catch (err) {
    if (pgCode(err) === '23P01') {
      deps.metrics.conflicts.inc({ kind: 'contrainte' });
      throw overlap();
    }
    throw err;
  }
}

function guichetOf(offer: ServiceOffer, guichetId: number): Guichet {
  const guichet = offer.guichets.find((g) => g.id === guichetId);
  if (!guichet)
    throw new AppError('VALIDATION_FAILED', 'Ce guichet n’appartient pas au service.', {
      errors: [{ field: 'guichetId', message: 'Guichet inconnu dans ce service.' }],
    });
  return guichet;
}

async function assertMotifOfService(deps: Pick<Deps, 'sql'>, service: AgentService, motifId: number) {
  const motifs = await listServiceMotifs(deps.sql, service.kind);
  if (!motifs.some((m) => m.id === motifId))
    throw new AppError('VALIDATION_FAILED', 'Ce motif n’existe pas pour ce type de service.', {
      errors: [{ field: 'motifId', message: 'Choisissez un motif de la liste.' }],
    });
}

/** The hard errors and warnings of an agent's free booking (the domain decides), for a guichet. */
async function checkForcedBooking(
  deps: Deps,
  offer: ServiceOffer,
  b: {
    guichetId: number;
    type: RdvType;
    start: number;
    end: number;
    usager: Pick<Usager, 'numeroFiscal' | 'siren'>;
    acknowledge: string[];
    movingRdvId?: number;
  },
) {
  const guichet = guichetOf(offer, b.guichetId);
  const now = deps.clock.now();
  const [{ busy, fermetures }, hasFuture] = await Promise.all([
    // An end before the start is the domain's to refuse (END_BEFORE_START), not the database's.
    occupation(deps, offer, { start: Math.min(b.start, b.end), end: Math.max(b.start, b.end) }),
    b.movingRdvId === undefined
      ? usagerHasFutureRdv(deps.sql, offer.serviceId, b.usager, now)
      : Promise.resolve(false),
  ]);
  return assertAgentBooking({
    rules: offer.rules,
    guichet,
    fermetures,
    // A moved rdv does not stand in its own way.
    busy:
      b.movingRdvId === undefined ? busy : busy.filter((x) => !('rdvId' in x) || x.rdvId !== b.movingRdvId),
    start: b.start,
    end: b.end,
    type: b.type,
    now: now.getTime(),
    usagerHasFutureRdv: hasFuture,
    acknowledged: b.acknowledge,
  });
}

export type AgentBookingRequest = {
  guichetId: number;
  motifId: number;
  type: RdvType;
  start: number;
  end: number;
  usager: Usager;
  precisions: string;
  acknowledge: string[];
};

/**
 * "Créer un RDV" from the agenda, by an agent rattaché: a free start and end, some rules forced
 * after the agent acknowledged each warning (outside the plages, another duration, a type the
 * guichet does not take, the usager's other future rdv); never a closed guichet, a fermeture,
 * the past, beyond 60 days or an overlap.
 */
export async function bookForUsager(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  req: AgentBookingRequest,
): Promise<AgendaRdv> {
  const { service } = await serviceFor(deps, agent, 'rdv.create', code);
  const offer = await offerOf(deps, code);
  await assertMotifOfService(deps, service, req.motifId);
  const check = await checkForcedBooking(deps, offer, req);
  return recordAgentRdv(
    deps,
    agent,
    service,
    { ...req, canal: 'agentService' },
    { avertissementsConfirmes: check.warnings.map((w) => w.code) },
    deps.clock.now(),
  );
}

/**
 * What an agent's booking does once its checks passed, whichever screen made it (the agenda's
 * "Créer un RDV" or the parcours simplifié): the usager, the rdv under a fresh code, the audit line
 * and the confirmation in one transaction; after commit, the agendas and the listings hear of it.
 */
export async function recordAgentRdv(
  deps: Deps,
  agent: SignedInAgent,
  service: Pick<AgentService, 'id' | 'codePrincipal' | 'timeZone'>,
  req: {
    guichetId: number;
    motifId: number;
    type: RdvType;
    start: number;
    end: number;
    canal: Canal;
    usager: Usager;
    precisions: string;
  },
  details: Record<string, unknown>,
  now: Date,
): Promise<AgendaRdv> {
  const rdvId = await guarded(deps, async (tx) => {
    const usagerId = await insertUsager(tx, req.usager);
    const { rdvId: id } = await insertWithFreshCode(tx, (code) => ({
      code,
      serviceId: service.id,
      guichetId: req.guichetId,
      motifId: req.motifId,
      usagerId,
      type: req.type,
      start: new Date(req.start),
      end: new Date(req.end),
      canal: req.canal,
      precisions: req.precisions,
      createdByAgentId: agent.context.agentId,
    }));
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: 'rdv.cree',
      serviceId: service.id,
      rdvId: id,
      after: {
        guichetId: req.guichetId,
        motifId: req.motifId,
        type: req.type,
        start: req.start,
        end: req.end,
      },
      details: { canal: req.canal, ...details },
    });
    await queueConfirmation(tx, { id, start: req.start, email: req.usager.email }, now.getTime());
    return id;
  });
  deps.metrics.bookings.inc({ canal: req.canal });
  const rdv = (await agendaRdvById(deps, rdvId, service.timeZone))!;
  publishRdv(deps, service.codePrincipal, 'rdv-created', rdv);
  deps.events.slotTaken({
    serviceCode: service.codePrincipal,
    start: rdv.start,
    end: rdv.end,
    type: rdv.type,
  });
  return rdv;
}

/** Tells the service's open agendas (agent events carry the whole rdv) after commit. */
export function publishRdv(
  deps: Pick<Deps, 'events'>,
  serviceCode: string,
  name: 'rdv-created' | 'rdv-updated' | 'usager-arrived',
  rdv: AgendaRdv,
): void {
  const event = {
    serviceCode,
    rdvId: rdv.id,
    code: rdv.code,
    guichetId: rdv.guichetId,
    start: rdv.start,
    end: rdv.end,
    type: rdv.type,
    canal: rdv.canal,
    status: rdv.status,
    rdv,
  };
  if (name === 'usager-arrived') deps.events.agent(serviceCode, name, { ...event, arrived: rdv.arrived });
  else deps.events.agent(serviceCode, name, event);
}

export type ReplanRequest = {
  start: number;
  end?: number | undefined;
  guichetId?: number | undefined;
  motifId?: number | undefined;
  type?: RdvType | undefined;
  acknowledge: string[];
};

/**
 * "Replanifier": motif, date, time, type. On the initial motif or those of the open guichets
 * bookable through the agent's canal. An agent rattaché places it as freely as a new rdv (with the
 * same warnings); an agent extérieur, who reached it by its code and the usager's name, only on an
 * offered slot. The reminder follows the rdv, the usager is told, the old slot is freed live.
 */
export async function replanRdv(
  deps: Deps,
  agent: SignedInAgent,
  rdvId: number,
  req: ReplanRequest,
  proof: { reachedByCodeAndName?: boolean } = {},
): Promise<AgendaRdv> {
  const current = await findAgendaRdv(deps.sql, rdvId);
  const service = current && (await findAgentService(deps.sql, current.serviceCode));
  if (!current || !service) throw notFound('Ce rendez-vous est introuvable.');
  const { canal, rattache } = grant(agent, 'rdv.replan', service, proof);
  assertNotCancelled({ cancelled: current.status === 'annule' });
  const offer = await offerOf(deps, service.codePrincipal);
  const motifId = req.motifId ?? current.motifId;
  const type = req.type ?? current.type;
  assertReplanMotif(motifId, current.motifId, offer.guichets, canal);
  const duration = service.rdvDurationMinutes * 60_000;
  let guichetId = req.guichetId ?? current.guichetId;
  // An agent rattaché keeps the rdv's length unless he gives an end; outside, the service's duration.
  let end = req.end ?? req.start + (rattache ? current.end - current.start : duration);
  let acknowledged: string[] = [];
  if (rattache) {
    const check = await checkForcedBooking(deps, offer, {
      guichetId,
      type,
      start: req.start,
      end,
      usager: { numeroFiscal: null, siren: null },
      acknowledge: req.acknowledge,
      movingRdvId: rdvId,
    });
    acknowledged = check.warnings.map((w) => w.code);
  } else {
    // Outside the zone: the citizen's rules, only slots offered to agents extérieurs.
    const { busy, fermetures } = await occupation(deps, offer, {
      start: req.start,
      end: req.start + duration,
    });
    const slot = assertOfferedSlot(
      {
        rules: offer.rules,
        guichets: offer.guichets,
        fermetures,
        busy,
        motifId,
        type,
        canal,
        now: deps.clock.now().getTime(),
      },
      req.start,
    );
    guichetId =
      req.guichetId && slot.guichetIds.includes(req.guichetId) ? req.guichetId : slot.guichetIds[0]!;
    end = slot.end;
  }
  const now = deps.clock.now();
  const before = await guarded(deps, async (tx) => {
    const locked = await lockAgentRdv(tx, rdvId);
    if (!locked) throw notFound('Ce rendez-vous est introuvable.');
    assertNotCancelled({ cancelled: locked.status === 'annule' });
    await moveRdv(
      tx,
      rdvId,
      { guichetId, motifId, type, start: new Date(req.start), end: new Date(end) },
      now,
    );
    const moves = await countReplans(tx, rdvId);
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: 'rdv.replanifie',
      serviceId: service.id,
      rdvId,
      before: {
        guichetId: locked.guichetId,
        motifId: locked.motifId,
        type: locked.type,
        start: locked.start,
        end: locked.end,
      },
      after: { guichetId, motifId, type, start: req.start, end },
      details: { canal, avertissementsConfirmes: acknowledged },
    });
    await queueReplanNotice(
      tx,
      { id: rdvId, email: locked.usagerEmail, previousStart: locked.start, start: req.start },
      moves + 1,
      now,
    );
    return locked;
  });
  const rdv = (await agendaRdvById(deps, rdvId, service.timeZone))!;
  const tz = service.timeZone;
  publishRdv(deps, service.codePrincipal, 'rdv-updated', rdv);
  deps.events.slotFreed({
    serviceCode: service.codePrincipal,
    start: formatIsoWithOffset(before.start, tz),
    end: formatIsoWithOffset(before.end, tz),
    type: before.type,
  });
  deps.events.slotTaken({
    serviceCode: service.codePrincipal,
    start: rdv.start,
    end: rdv.end,
    type: rdv.type,
  });
  return rdv;
}
