import type { Agenda, AgendaHold, AgendaRdv, Api } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/client.ts';
import {
  type AgentEvent,
  type FollowAgenda,
  followAgenda,
  type LiveStatus,
} from '#lib/realtime/agent-events.ts';
import { type AgendaRange, applyAgentEvents, dayOf, upsertRdv } from './agenda-sync.ts';

/** What does not move with live events: the service, its guichets, plages, fermetures, motifs. */
export type AgendaFrame = Omit<Agenda, 'rdvs' | 'holds'>;

export type AgendaOptions = {
  api: Pick<Api, 'agenda' | 'setArrival'>;
  serviceCode: string;
  /** The live subscription (Socket.IO in the browser; a stand-in in unit tests). */
  follow?: FollowAgenda;
  /** When a batch of events is applied: the next frame by default, so a burst draws once. */
  schedule?: (flush: () => void) => void;
};

/**
 * The next animation frame, or a short timer when the tab is hidden (browsers pause frames
 * there, and events would pile up until the agent comes back).
 */
const nextFrame = (flush: () => void) => {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden)
    requestAnimationFrame(() => flush());
  else setTimeout(flush, 50);
};

/**
 * The agenda of one service over a range of days, kept live. Events of the service's room are
 * queued and applied together once per frame (never patched into the DOM: the page draws what
 * this state holds); each rdv event carries the whole rdv. The API is the source of truth: once
 * the room is joined (closing the gap with the first load), after any reconnection, and after
 * an event that does not carry its rdv, the range is reloaded; events that arrive while a load
 * is under way are applied on top of its answer.
 */
export class AgendaState {
  readonly #api: AgendaOptions['api'];
  readonly #follow: FollowAgenda;
  readonly #schedule: (flush: () => void) => void;
  readonly serviceCode: string;

  #frame = $state.raw<AgendaFrame | null>(null);
  #rdvs = $state.raw<AgendaRdv[]>([]);
  #holds = $state.raw<AgendaHold[]>([]);
  #range = $state.raw<AgendaRange | null>(null);
  #status = $state<LiveStatus>('connecting');
  #error = $state<string | null>(null);
  #loading = $state(false);

  #pending: AgentEvent[] = [];
  #flushScheduled = false;
  #loadSeq = 0;
  #unfollow: (() => void) | null = null;
  /** Batches applied (for the tests and the page's live region). */
  batches = 0;

  constructor(options: AgendaOptions) {
    this.#api = options.api;
    this.serviceCode = options.serviceCode;
    this.#follow = options.follow ?? followAgenda;
    this.#schedule = options.schedule ?? nextFrame;
  }

  get frame(): AgendaFrame | null {
    return this.#frame;
  }
  get rdvs(): AgendaRdv[] {
    return this.#rdvs;
  }
  get holds(): AgendaHold[] {
    return this.#holds;
  }
  get range(): AgendaRange | null {
    return this.#range;
  }
  get status(): LiveStatus {
    return this.#status;
  }
  get error(): string | null {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }

  /** The rdvs of one local day, in the order of the day. */
  rdvsOf(day: string): AgendaRdv[] {
    return this.#rdvs.filter((r) => dayOf(r.start) === day);
  }

  /** Starts following the service live (once), and shows `range`. */
  async show(range: AgendaRange): Promise<void> {
    if (!this.#unfollow) {
      this.#unfollow = this.#follow(this.serviceCode, {
        onEvent: (e) => this.#enqueue(e),
        onStatus: (s) => {
          this.#status = s;
          // Live again (or for the first time): what happened before the join, or while the
          // socket was away, is read from the API. Recovery is a bonus, not a guarantee.
          if (s === 'live') void this.reload();
        },
        onResync: () => void this.reload(),
      });
    }
    this.#range = range;
    await this.reload();
  }

  stop() {
    this.#unfollow?.();
    this.#unfollow = null;
    this.#pending = [];
  }

  /**
   * Loads the range shown. Overlapping loads (navigation, a reconnection) apply only the newest
   * answer; queued events wait for it and are applied on top.
   */
  async reload(): Promise<void> {
    const range = this.#range;
    if (!range) return;
    const seq = ++this.#loadSeq;
    this.#loading = true;
    try {
      const agenda = await this.#api.agenda(this.serviceCode, range);
      if (seq !== this.#loadSeq) return;
      const { rdvs, holds, ...frame } = agenda;
      this.#frame = frame;
      this.#rdvs = rdvs;
      this.#holds = holds;
      this.#error = null;
    } catch (err) {
      if (seq !== this.#loadSeq) return;
      this.#error =
        err instanceof ApiError && err.problem?.detail
          ? err.problem.detail
          : 'L’agenda n’a pas pu être chargé. Vérifiez votre connexion puis réessayez.';
    } finally {
      if (seq === this.#loadSeq) {
        this.#loading = false;
        // What arrived during the load goes on top of its answer.
        if (this.#pending.length > 0) this.#flush();
      }
    }
  }

  /** "Arrivé / Non arrivé": the answer is drawn at once (the room's event will agree). */
  async setArrival(rdvId: number, arrived: boolean): Promise<string | null> {
    try {
      const rdv = await this.#api.setArrival(rdvId, arrived);
      this.#rdvs = upsertRdv(this.#rdvs, rdv);
      return null;
    } catch (err) {
      return err instanceof ApiError && err.problem?.detail
        ? err.problem.detail
        : 'L’arrivée n’a pas pu être enregistrée. Vérifiez votre connexion puis réessayez.';
    }
  }

  #enqueue(e: AgentEvent) {
    this.#pending.push(e);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#schedule(() => {
      this.#flushScheduled = false;
      // During a load, the batch waits for its answer (reload() flushes it then).
      if (!this.#loading) this.#flush();
    });
  }

  #flush() {
    const range = this.#range;
    const batch = this.#pending;
    this.#pending = [];
    if (!range || batch.length === 0) return;
    const next = applyAgentEvents({ rdvs: this.#rdvs, holds: this.#holds }, batch, range);
    this.#rdvs = next.rdvs;
    this.#holds = next.holds;
    this.batches++;
    if (next.reload) void this.reload();
  }
}
