import {
  type AgentAction,
  addDays,
  allowedActions,
  arrivalStatus,
  type Canal,
  daysBetween,
  formatIsoWithOffset,
  isLocalDate,
  openingIntervals,
  parseDay,
  startOfLocalDay,
  type Usager,
} from '../domain/index.ts';
import type { AgendaRdv } from '../realtime/events.ts';
import {
  type AgendaRdvRow,
  type AgentService,
  findAgendaRdv,
  findAgentService,
  findKnownUsager,
  findRdvFiche,
  listAgendaRdvs,
  listDashboardServices,
  listFermetures,
  listServiceMotifs,
  type MotifChoice,
  rdvHistory,
} from '../store/agenda.ts';
import { loadServiceOffer } from '../store/offer.ts';
import { grant, may, serviceFor } from './agent-access.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';

/** The agenda shows at most this many days at once (a week view needs 7). */
const MAX_AGENDA_DAYS = 31;

export type DashboardService = {
  code: string;
  codeAssocie: string | null;
  name: string;
  kind: string;
  postcode: string;
  city: string;
  active: boolean;
  /** What the dashboard's buttons may offer this agent on this service. */
  actions: AgentAction[];
};

/** A service as the dashboard and the service search list it, with this agent's actions on it. */
export const dashboardEntry = (agent: SignedInAgent, s: AgentService): DashboardService => ({
  code: s.codePrincipal,
  codeAssocie: s.codeAssocie,
  name: s.name,
  kind: s.kind,
  postcode: s.postcode,
  city: s.city,
  active: s.active,
  actions: allowedActions(agent.context, {
    code: s.codePrincipal,
    bookableByAgentsExterieurs: s.bookableByAgentsExterieurs,
  }),
});

/** "Tableau de bord des services": the services of the agent's zone de compétence. */
export async function dashboard(deps: Pick<Deps, 'sql'>, agent: SignedInAgent): Promise<DashboardService[]> {
  const c = agent.context;
  const services = await listDashboardServices(
    deps.sql,
    c.administrateur ? 'active' : [...c.habilitations.keys()],
  );
  return services.map((s) => dashboardEntry(agent, s));
}

/** An rdv row as the agenda and the agent events show it, in the service's zone. */
export function agendaRdv(row: AgendaRdvRow, timeZone: string): AgendaRdv {
  return {
    id: row.id,
    code: row.code,
    start: formatIsoWithOffset(row.start, timeZone),
    end: formatIsoWithOffset(row.end, timeZone),
    type: row.type,
    status: row.status,
    guichetId: row.guichetId,
    motif: { id: row.motifId, label: row.motifLabel, parent: row.motifParentLabel },
    canal: row.canal,
    arrived: row.arrivedAt !== null,
    arrivedAt: row.arrivedAt ? formatIsoWithOffset(row.arrivedAt.getTime(), timeZone) : null,
    contreAppel: row.contreAppelDate
      ? { date: row.contreAppelDate, cancel: row.contreAppelAnnulation === true }
      : null,
    cancelReason: row.cancelReason,
    usager: row.usager,
  };
}

/** The rdv as the agenda draws it, read again after a change (what agent events carry). */
export async function agendaRdvById(deps: Pick<Deps, 'sql'>, rdvId: number, timeZone: string) {
  const row = await findAgendaRdv(deps.sql, rdvId);
  return row ? agendaRdv(row, timeZone) : undefined;
}

export type AgendaView = {
  service: { code: string; name: string; timeZone: string; durationMinutes: number; active: boolean };
  from: string;
  to: string;
  today: string;
  guichets: {
    id: number;
    name: string;
    open: boolean;
    types: ('physique' | 'telephone')[];
    bookableBy: Canal[];
    motifIds: number[];
  }[];
  plages: { guichetId: number; start: string; end: string }[];
  fermetures: { id: number; guichetId: number | null; start: string; end: string; reason: string }[];
  rdvs: AgendaRdv[];
  holds: { holdId: string; guichetId: number; start: string; end: string; type: 'physique' | 'telephone' }[];
  motifs: MotifChoice[];
  /** What this agent may do here (the page shows only those buttons). */
  can: { create: boolean; arrival: boolean; contreAppel: boolean; replan: boolean; cancel: boolean };
};

/** The agenda of a service over the local days [from, to]: guichets, opening, rdvs, live holds. */
export async function agendaOf(
  deps: Pick<Deps, 'sql' | 'holds' | 'clock'>,
  agent: SignedInAgent,
  code: string,
  range: { from: string; to: string },
): Promise<AgendaView> {
  const { service } = await serviceFor(deps, agent, 'agenda.read', code);
  if (!isLocalDate(range.from) || !isLocalDate(range.to) || range.to < range.from) {
    throw new AppError('VALIDATION_FAILED', 'Période invalide : « to » doit suivre « from » (AAAA-MM-JJ).', {
      errors: [{ field: 'to', message: 'doit suivre from' }],
    });
  }
  if (daysBetween(range.from, range.to) >= MAX_AGENDA_DAYS) {
    throw new AppError('VALIDATION_FAILED', `L’agenda montre ${MAX_AGENDA_DAYS} jours au plus à la fois.`, {
      errors: [{ field: 'to', message: `${MAX_AGENDA_DAYS} jours au plus` }],
    });
  }
  const tz = service.timeZone;
  const window = { start: startOfLocalDay(range.from, tz), end: startOfLocalDay(addDays(range.to, 1), tz) };
  const [offer, rdvs, fermetures, holds, motifs] = await Promise.all([
    loadServiceOffer(deps.sql, code),
    listAgendaRdvs(deps.sql, service.id, window),
    listFermetures(deps.sql, service.id, window),
    deps.holds.live(service.id),
    listServiceMotifs(deps.sql, service.kind),
  ]);
  const iso = (ms: number) => formatIsoWithOffset(ms, tz);
  const rules = offer!.rules;
  const fromDay = parseDay(range.from);
  const toDay = parseDay(range.to);
  const can = (action: AgentAction) => may(agent, action, service);
  return {
    service: {
      code: service.codePrincipal,
      name: service.name,
      timeZone: tz,
      durationMinutes: service.rdvDurationMinutes,
      active: service.active,
    },
    from: range.from,
    to: range.to,
    today: iso(deps.clock.now().getTime()).slice(0, 10),
    guichets: offer!.guichets.map((g) => ({
      id: g.id,
      name: g.name,
      open: g.open,
      types: [
        ...(g.allowsPhysique ? ['physique' as const] : []),
        ...(g.allowsTelephone ? ['telephone' as const] : []),
      ],
      bookableBy: g.bookableBy,
      motifIds: g.motifIds,
    })),
    plages: offer!.guichets.flatMap((g) =>
      openingIntervals(rules, g, fromDay, toDay).map((i) => ({
        guichetId: g.id,
        start: iso(i.start),
        end: iso(i.end),
      })),
    ),
    fermetures: fermetures.map((f) => ({ ...f, start: iso(f.start), end: iso(f.end) })),
    rdvs: rdvs.map((r) => agendaRdv(r, tz)),
    holds: holds
      .filter((h) => h.end > window.start && h.start < window.end)
      .map((h) => ({
        holdId: h.id,
        guichetId: h.guichetId,
        start: iso(h.start),
        end: iso(h.end),
        type: h.type,
      })),
    motifs,
    can: {
      create: can('rdv.create'),
      arrival: can('rdv.arrival'),
      contreAppel: can('rdv.contreAppel'),
      replan: can('rdv.replan'),
      cancel: can('rdv.cancel'),
    },
  };
}

export type RdvFiche = AgendaRdv & {
  service: { code: string; name: string; timeZone: string };
  guichet: { id: number; name: string };
  precisions: string;
  contreAppel: { date: string; cancel: boolean; comment: string | null } | null;
  cancelledAt: string | null;
  createdAt: string;
  createdBy: string | null;
  /** Whether "Arrivé / Non arrivé" can be changed now (only on the rdv's local day). */
  arrival: 'open' | 'tooEarly' | 'frozen';
  history: {
    at: string;
    action: string;
    by: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }[];
  can: { arrival: boolean; contreAppel: boolean; replan: boolean; cancel: boolean };
};

/** The fiche RDV: every detail and its history. 404 to an agent who may not know the rdv exists. */
export async function rdvFiche(
  deps: Pick<Deps, 'sql' | 'clock'>,
  agent: SignedInAgent,
  rdvId: number,
  proof: { reachedByCodeAndName?: boolean } = {},
): Promise<RdvFiche> {
  const row = await findRdvFiche(deps.sql, rdvId);
  if (!row) throw notFound('Ce rendez-vous est introuvable.');
  const service = await findAgentService(deps.sql, row.serviceCode);
  if (!service) throw notFound('Ce rendez-vous est introuvable.');
  // Refused reads answer 404: an agent outside the zone learns nothing of the rdv.
  grant(agent, 'rdv.read', service, proof);
  const tz = service.timeZone;
  const iso = (d: Date) => formatIsoWithOffset(d.getTime(), tz);
  const history = await rdvHistory(deps.sql, rdvId);
  const cancelled = row.status === 'annule';
  const can = (action: AgentAction) => !cancelled && may(agent, action, service, proof);
  const base = agendaRdv(row, tz);
  return {
    ...base,
    service: { code: service.codePrincipal, name: service.name, timeZone: tz },
    guichet: { id: row.guichetId, name: row.guichetName },
    precisions: row.precisions,
    contreAppel: base.contreAppel ? { ...base.contreAppel, comment: row.contreAppelComment } : null,
    cancelledAt: row.cancelledAt ? iso(row.cancelledAt) : null,
    createdAt: iso(row.createdAt),
    createdBy: row.createdBy,
    arrival: arrivalStatus(row.start, deps.clock.now().getTime(), tz),
    history: history.map((h) => ({
      at: iso(h.at),
      action: h.action,
      by: h.agentName ?? (h.actor === 'usager' ? 'l’usager' : 'le système'),
      before: h.before,
      after: h.after,
    })),
    can: {
      arrival: can('rdv.arrival'),
      contreAppel: can('rdv.contreAppel'),
      replan: can('rdv.replan'),
      cancel: can('rdv.cancel'),
    },
  };
}

/** "Rechercher l'utilisateur par son identifiant": the usager last known by SPI or SIREN in the zone. */
export async function knownUsager(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  id: { numeroFiscal?: string | undefined; siren?: string | undefined },
): Promise<Usager> {
  const c = agent.context;
  const services = c.administrateur ? 'all' : await zoneServiceIds(deps, agent);
  const usager = await findKnownUsager(deps.sql, id, services);
  if (!usager)
    throw notFound(
      'Aucun usager connu de vos services ne porte cet identifiant : saisissez ses informations.',
    );
  return usager;
}

async function zoneServiceIds(deps: Pick<Deps, 'sql'>, agent: SignedInAgent): Promise<number[]> {
  const services = await listDashboardServices(deps.sql, [...agent.context.habilitations.keys()]);
  return services.map((s) => s.id);
}
