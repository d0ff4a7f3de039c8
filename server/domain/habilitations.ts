import type { Canal } from './types.ts';

/*
 * Habilitations (reference §3.1 and annexe 4): what an agent may do on a service follows from his
 * profile and from whether the service is in his zone de compétence (he is "rattaché" to it) or
 * not ("extérieur"). This module is the only place that decides; every agent route and every
 * socket join asks it. Pure: the caller passes what it knows of the agent and of the service.
 */

/** Profiles on a service, from the least to the most capable. */
export type Profile = 'consultation' | 'agent' | 'chef';

export const PROFILES: readonly Profile[] = ['consultation', 'agent', 'chef'];

const RANK: Record<Profile, number> = { consultation: 0, agent: 1, chef: 2 };

/** Who asks: an administrateur may do everything everywhere; others by service. */
export interface AgentContext {
  agentId: number;
  administrateur: boolean;
  /** Profile on each service of the zone de compétence, by code principal. */
  habilitations: ReadonlyMap<string, Profile>;
}

/** What the rules need to know of the service acted upon. */
export interface ServiceContext {
  code: string;
  /** The service takes rdvs and at least one open guichet is bookable by agents extérieurs au service. */
  bookableByAgentsExterieurs: boolean;
}

export type AgentAction =
  /** See the agenda of the service (Ouvrir l'agenda). Rattachés only. */
  | 'agenda.read'
  /** Read a fiche RDV or a list of rdvs of the service. */
  | 'rdv.read'
  /** Book from the agenda, with the right to force some rules after a warning. Rattachés only. */
  | 'rdv.create'
  /** The parcours simplifié: only offered slots, no forcing (rattachés, or extérieurs when allowed). */
  | 'rdv.book'
  /** Flag an arrival, record a contre-appel. Rattachés only. */
  | 'rdv.arrival'
  | 'rdv.contreAppel'
  /** Replan or cancel (extérieurs too, on an rdv reached by its code and the usager's name). */
  | 'rdv.replan'
  | 'rdv.cancel'
  /** Pilotage: configure, organise (agents and their profiles), read the statistics. */
  | 'service.configure'
  | 'service.organise'
  | 'service.stats';

export type Decision =
  | { allowed: true; rattache: boolean; canal: Canal }
  | { allowed: false; status: 403 | 404; message: string };

/** The profile an agent holds on a service: his own, `chef` for an administrateur, or none. */
export function profileOn(agent: AgentContext, serviceCode: string): Profile | null {
  if (agent.administrateur) return 'chef';
  return agent.habilitations.get(serviceCode) ?? null;
}

/** His best profile anywhere: what he may do as an agent extérieur. */
export function bestProfile(agent: AgentContext): Profile | null {
  if (agent.administrateur) return 'chef';
  let best: Profile | null = null;
  for (const p of agent.habilitations.values()) if (best === null || RANK[p] > RANK[best]) best = p;
  return best;
}

const atLeast = (p: Profile | null, min: Profile) => p !== null && RANK[p] >= RANK[min];

const refuse = (message: string, status: 403 | 404 = 403): Decision => ({ allowed: false, status, message });

const OUTSIDE =
  'Ce service n’est pas dans votre zone de compétence : seuls les agents qui y sont rattachés peuvent le faire.';
const READ_ONLY = 'Votre habilitation (consultation) permet de consulter, pas de modifier.';

/**
 * Whether `agent` may do `action` on `service`. `reachedByCodeAndName` tells that an agent
 * extérieur reached this rdv with its code and the usager's name together (what a citizen says on
 * the phone): the only way he may replan or cancel it. Refusals that would reveal an rdv's
 * existence to someone who may not know of it answer 404.
 */
export function authorize(
  agent: AgentContext,
  action: AgentAction,
  service: ServiceContext,
  options: { reachedByCodeAndName?: boolean } = {},
): Decision {
  const own = profileOn(agent, service.code);
  const rattache = own !== null;
  const ok = (): Decision => ({
    allowed: true,
    rattache,
    canal: rattache ? 'agentService' : 'agentExterieur',
  });
  switch (action) {
    case 'agenda.read':
      return rattache ? ok() : refuse(OUTSIDE);
    case 'rdv.read':
      if (rattache || options.reachedByCodeAndName) return ok();
      return refuse('Ce rendez-vous est introuvable.', 404);
    case 'rdv.create':
    case 'rdv.arrival':
    case 'rdv.contreAppel':
      if (!rattache) return refuse(OUTSIDE, action === 'rdv.create' ? 403 : 404);
      return atLeast(own, 'agent') ? ok() : refuse(READ_ONLY);
    case 'rdv.book':
      if (rattache) return atLeast(own, 'agent') ? ok() : refuse(READ_ONLY);
      if (!atLeast(bestProfile(agent), 'agent')) return refuse(READ_ONLY);
      return service.bookableByAgentsExterieurs
        ? ok()
        : refuse('Ce service n’ouvre pas la prise de rendez-vous aux agents extérieurs au service.');
    case 'rdv.replan':
    case 'rdv.cancel':
      if (rattache) return atLeast(own, 'agent') ? ok() : refuse(READ_ONLY);
      if (!options.reachedByCodeAndName) return refuse('Ce rendez-vous est introuvable.', 404);
      return atLeast(bestProfile(agent), 'agent') ? ok() : refuse(READ_ONLY);
    case 'service.configure':
    case 'service.organise':
    case 'service.stats':
      if (!rattache) return refuse(OUTSIDE);
      return atLeast(own, 'chef')
        ? ok()
        : refuse('Cette fonction est réservée au chef de service (ou à un administrateur).');
  }
}

/** The actions the dashboard offers on a service, for its buttons. */
export function allowedActions(agent: AgentContext, service: ServiceContext): AgentAction[] {
  const all: AgentAction[] = [
    'agenda.read',
    'rdv.create',
    'rdv.book',
    // "Arrivé / Non arrivé" in the Liste des RDV, which spans services of different profiles.
    'rdv.arrival',
    'service.organise',
    'service.stats',
    'service.configure',
  ];
  return all.filter((a) => authorize(agent, a, service).allowed);
}

/** Actions on the whole network rather than on one service. */
export type GlobalAction = 'agents.create' | 'services.create' | 'demo.mailbox';

const GLOBAL_REFUSALS: Record<GlobalAction, string> = {
  'agents.create':
    'Seul un administrateur crée des comptes d’agents ; un chef de service rattache des agents existants.',
  'services.create': 'Seul un administrateur crée des services.',
  // Every email of every usager, with working cancellation links.
  'demo.mailbox': 'Seul un administrateur lit la boîte aux lettres de la démonstration.',
};

/** Creating agents and services is the administrateurs' (reference annexe 4). */
export function authorizeGlobal(agent: AgentContext, action: GlobalAction): Decision {
  if (agent.administrateur) return { allowed: true, rattache: true, canal: 'agentService' };
  return refuse(GLOBAL_REFUSALS[action]);
}

/**
 * Whether the habilitations of a service may change this way: a service always keeps at least one
 * chef, so the last one can neither leave nor step down. `current` holds the profiles of the
 * service's active agents only: a deactivated chef manages nothing.
 */
export function keepsAChef(
  current: ReadonlyMap<number, Profile>,
  agentId: number,
  next: Profile | null,
): boolean {
  const after = new Map(current);
  if (next === null) after.delete(agentId);
  else after.set(agentId, next);
  const hadChef = [...current.values()].includes('chef');
  return !hadChef || [...after.values()].includes('chef');
}
