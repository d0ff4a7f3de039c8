import type { Usager } from '../domain/types.ts';

/**
 * The typed map of live events. Public events carry no personal data: a slot and its type.
 * Agent events go to the room of one service, in the /agent namespace.
 */
export type SlotEvent = { serviceCode: string; start: string; end: string; type: 'physique' | 'telephone' };

/** The head of office changed the offer: open pickers and agendas fetch it again. */
export type ConfigEvent = { serviceCode: string };

export type PublicServerEvents = {
  'slot-taken': (e: SlotEvent) => void;
  'slot-freed': (e: SlotEvent) => void;
  'config-changed': (e: ConfigEvent) => void;
  /** Events may have been missed (Redis was away): fetch what is shown again. */
  resync: (e: Record<string, never>) => void;
  subscribed: (e: { serviceCode: string }) => void;
};

export type PublicClientEvents = {
  subscribe: (e: { serviceCode: string }, ack?: (r: { ok: boolean; error?: string }) => void) => void;
  unsubscribe: (e: { serviceCode: string }) => void;
};

/** One rdv as the agenda draws it: the agenda API's item, and what agent events carry. */
export type AgendaRdv = {
  id: number;
  code: string;
  start: string;
  end: string;
  type: 'physique' | 'telephone';
  status: 'confirme' | 'annule';
  guichetId: number;
  motif: { id: number; label: string; parent: string | null };
  canal: 'internet' | 'agentExterieur' | 'agentService';
  arrived: boolean;
  arrivedAt: string | null;
  contreAppel: { date: string; cancel: boolean } | null;
  cancelReason: string | null;
  /** Agent rooms only: the agents of the service may read it. */
  usager: Usager;
};

export type RdvEvent = {
  serviceCode: string;
  rdvId: number;
  code: string;
  guichetId: number;
  start: string;
  end: string;
  type: 'physique' | 'telephone';
  canal: 'internet' | 'agentExterieur' | 'agentService';
  status: 'confirme' | 'annule';
  /** The whole rdv as the agenda draws it: an open agenda applies it without asking the API. */
  rdv?: AgendaRdv;
};

export type HoldEvent = {
  serviceCode: string;
  holdId: string;
  guichetId: number;
  start: string;
  end: string;
  type: 'physique' | 'telephone';
};

export type AgentServerEvents = {
  'rdv-created': (e: RdvEvent) => void;
  'rdv-updated': (e: RdvEvent) => void;
  'usager-arrived': (e: RdvEvent & { arrived: boolean }) => void;
  'hold-placed': (e: HoldEvent) => void;
  'hold-released': (e: HoldEvent) => void;
  'config-changed': (e: ConfigEvent) => void;
  /** Events may have been missed (Redis was away): reload the shown range. */
  resync: (e: Record<string, never>) => void;
};

export type AgentClientEvents = {
  join: (e: { serviceCode: string }, ack?: (r: { ok: boolean; error?: string }) => void) => void;
  leave: (e: { serviceCode: string }) => void;
};

/** What use cases publish, after commit. Knows nothing of SQL; server/app knows nothing of Socket.IO. */
export interface EventPublisher {
  slotTaken(e: SlotEvent): void;
  slotFreed(e: SlotEvent): void;
  /**
   * To the service's public room and its agents' room alike; resolves once the other nodes have
   * dropped their copy of the service's offer (or after a short timeout).
   */
  configChanged(e: ConfigEvent): Promise<void>;
  agent<K extends keyof AgentServerEvents>(
    serviceCode: string,
    name: K,
    payload: Parameters<AgentServerEvents[K]>[0],
  ): void;
  /**
   * The agent sockets of these sessions (signed out, revoked, replaced at sign-in) and of these
   * agents (rights changed) are dropped on every node. A page whose session lives on connects
   * again and is checked afresh.
   */
  dropAgentSockets(who: { sessionIds?: readonly string[]; agentIds?: readonly number[] }): void;
}

export const publicRoom = (serviceCode: string) => `public:${serviceCode}`;
export const agentRoom = (serviceCode: string) => `agent:${serviceCode}`;
