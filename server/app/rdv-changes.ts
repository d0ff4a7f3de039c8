import {
  type AgentAction,
  assertCanCancel,
  assertCanFlagArrival,
  formatIsoWithOffset,
  validateContreAppel,
} from '../domain/index.ts';
import type { Tx } from '../infra/db.ts';
import type { AgendaRdv } from '../realtime/events.ts';
import {
  type AgentService,
  findAgendaRdv,
  findAgentService,
  type LockedRdv,
  lockAgentRdv,
  recordContreAppel,
  setArrival,
} from '../store/agenda.ts';
import { insertAudit } from '../store/rdvs.ts';
import { markRdvCancelled } from '../store/self-service.ts';
import { agendaRdvById } from './agenda.ts';
import { grant } from './agent-access.ts';
import { publishRdv } from './agent-booking.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';
import { queueCancellationNotice } from './rdv-notices.ts';

/*
 * What agents do to an existing rdv from the agenda, the list or the fiche: flag the arrival,
 * record a contre-appel (which may cancel it), cancel it. Each change: the authorisation module
 * first, then the rule of the domain under the row's lock, one audit line with before/after,
 * the emails it implies, and the live events after commit.
 */

type Proof = { reachedByCodeAndName?: boolean };

/** The rdv's service and the agent's right to `action` on it; 404 when he may not know of it. */
async function authorised(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  rdvId: number,
  action: AgentAction,
  proof: Proof,
): Promise<AgentService> {
  const row = await findAgendaRdv(deps.sql, rdvId);
  const service = row && (await findAgentService(deps.sql, row.serviceCode));
  if (!row || !service) throw notFound('Ce rendez-vous est introuvable.');
  // Whoever may not read it must not learn it exists.
  grant(agent, 'rdv.read', service, proof);
  grant(agent, action, service, proof);
  return service;
}

async function locked(tx: Tx, rdvId: number): Promise<LockedRdv> {
  const rdv = await lockAgentRdv(tx, rdvId);
  if (!rdv) throw notFound('Ce rendez-vous est introuvable.');
  return rdv;
}

async function reread(deps: Pick<Deps, 'sql'>, rdvId: number, service: AgentService): Promise<AgendaRdv> {
  return (await agendaRdvById(deps, rdvId, service.timeZone))!;
}

function freeSlot(deps: Pick<Deps, 'events'>, service: AgentService, rdv: AgendaRdv) {
  deps.events.slotFreed({
    serviceCode: service.codePrincipal,
    start: rdv.start,
    end: rdv.end,
    type: rdv.type,
  });
}

/** "Arrivé / Non arrivé": one click, only on the rdv's local day; frozen from the next day. */
export async function flagArrival(
  deps: Deps,
  agent: SignedInAgent,
  rdvId: number,
  arrived: boolean,
): Promise<AgendaRdv> {
  const service = await authorised(deps, agent, rdvId, 'rdv.arrival', {});
  const now = deps.clock.now();
  await deps.sql.begin(async (tx) => {
    const rdv = await locked(tx, rdvId);
    assertCanFlagArrival(
      { start: rdv.start, cancelled: rdv.status === 'annule' },
      now.getTime(),
      service.timeZone,
    );
    if ((rdv.arrivedAt !== null) === arrived) return; // already so: nothing to write, nothing to tell
    await setArrival(tx, rdvId, arrived ? now : null, now);
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: arrived ? 'rdv.arrive' : 'rdv.non-arrive',
      serviceId: service.id,
      rdvId,
      before: { arrive: rdv.arrivedAt !== null },
      after: { arrive: arrived },
    });
  });
  const rdv = await reread(deps, rdvId, service);
  publishRdv(deps, service.codePrincipal, 'usager-arrived', rdv);
  return rdv;
}

/** "Enregistrer un contre-appel": date, mandatory comment; "Annuler le RDV suite au contre-appel". */
export async function recordCallBack(
  deps: Deps,
  agent: SignedInAgent,
  rdvId: number,
  input: { date: string; comment: string; cancel: boolean },
): Promise<AgendaRdv> {
  const service = await authorised(deps, agent, rdvId, 'rdv.contreAppel', {});
  const now = deps.clock.now();
  await deps.sql.begin(async (tx) => {
    const rdv = await locked(tx, rdvId);
    const call = validateContreAppel(
      input,
      { start: rdv.start, cancelled: rdv.status === 'annule' },
      now.getTime(),
      service.timeZone,
    );
    await recordContreAppel(tx, rdvId, call, now);
    if (call.cancel) {
      await markRdvCancelled(tx, rdvId, now, 'contre-appel');
      await queueCancellationNotice(tx, { id: rdvId, email: rdv.usagerEmail }, now);
    }
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: 'rdv.contre-appel',
      serviceId: service.id,
      rdvId,
      before: { statut: rdv.status },
      // The comment may quote the usager: the audit keeps that there is one, not its text.
      after: { statut: call.cancel ? 'annule' : rdv.status, date: call.date, annulation: call.cancel },
    });
  });
  const rdv = await reread(deps, rdvId, service);
  publishRdv(deps, service.codePrincipal, 'rdv-updated', rdv);
  if (input.cancel) freeSlot(deps, service, rdv);
  return rdv;
}

/** "Annuler": irreversible; the usager is told, the reminder dropped, the slot freed live. */
export async function cancelByAgent(
  deps: Deps,
  agent: SignedInAgent,
  rdvId: number,
  proof: Proof = {},
): Promise<AgendaRdv> {
  const service = await authorised(deps, agent, rdvId, 'rdv.cancel', proof);
  const now = deps.clock.now();
  await deps.sql.begin(async (tx) => {
    const rdv = await locked(tx, rdvId);
    assertCanCancel({ cancelled: rdv.status === 'annule' });
    await markRdvCancelled(tx, rdvId, now, 'agent');
    await queueCancellationNotice(tx, { id: rdvId, email: rdv.usagerEmail }, now);
    await insertAudit(tx, {
      actor: 'agent',
      agentId: agent.context.agentId,
      action: 'rdv.annule',
      serviceId: service.id,
      rdvId,
      before: { statut: rdv.status, start: formatIsoWithOffset(rdv.start, service.timeZone) },
      after: { statut: 'annule' },
    });
  });
  const rdv = await reread(deps, rdvId, service);
  publishRdv(deps, service.codePrincipal, 'rdv-updated', rdv);
  freeSlot(deps, service, rdv);
  return rdv;
}
