import { ApiError } from '#lib/api/client.ts';
import { type FollowServices, followServices, type LiveStatus } from '#lib/realtime/agent-events.ts';
import {
  currentCursor,
  firstPage,
  type ListCriteria,
  listApiQuery,
  nextPage,
  type Pages,
  pageOffset,
  previousPage,
} from './rdv-lists.ts';
import type { RdvLine, RdvListsApi } from './rdv-lists-api.ts';

export type RdvListOptions = {
  api: Pick<RdvListsApi, 'listRdvs' | 'setArrival'>;
  follow?: FollowServices;
  /** When a burst of events is handled: the next frame by default, so it reads the page once. */
  schedule?: (run: () => void) => void;
  /** Where the page turned to is kept for the criteria, so that a reload shows it again. */
  memory?: PagesMemory;
};

/** The cursors of the pages turned, kept by criteria (the browser's session storage). */
export type PagesMemory = { read(key: string): Pages | null; write(key: string, pages: Pages): void };

/** A `PagesMemory` over `sessionStorage`: the tab's own, gone with it; unreadable means none. */
export function sessionPagesMemory(storage: Pick<Storage, 'getItem' | 'setItem'>): PagesMemory {
  const name = (key: string) => `guichet:liste-rdv:${key}`;
  return {
    read(key) {
      try {
        const kept: unknown = JSON.parse(storage.getItem(name(key)) ?? 'null');
        if (!Array.isArray(kept) || kept.length === 0 || kept[0] !== null) return null;
        if (!kept.slice(1).every((c) => typeof c === 'string')) return null;
        return [undefined, ...(kept.slice(1) as string[])];
      } catch {
        return null;
      }
    },
    write(key, pages) {
      try {
        storage.setItem(name(key), JSON.stringify(pages.map((c) => c ?? null)));
      } catch {
        // Storage full or refused: a reload shows the first page, as without it.
      }
    },
  };
}

const criteriaKey = (c: ListCriteria) => JSON.stringify([c.from, c.to, c.service, c.state, c.limit]);

const nextFrame = (run: () => void) => {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden)
    requestAnimationFrame(() => run());
  else setTimeout(run, 50);
};

const messageOf = (err: unknown, fallback: string) =>
  err instanceof ApiError && err.problem?.detail ? err.problem.detail : fallback;

/**
 * "Liste des RDV", kept live: the current page of the criteria, read by keyset. An event of a
 * shown service's room (a booking, a replan, an arrival, a cancellation) re-reads the current
 * page from the API, which is the truth — rows come and go, the total moves — rather than
 * guessing where a row would sort. Events of one frame cause one read; a read that an older one
 * overtakes is dropped.
 */
export class RdvListState {
  readonly #api: RdvListOptions['api'];
  readonly #follow: FollowServices;
  readonly #schedule: (run: () => void) => void;
  readonly #memory: PagesMemory | undefined;

  #criteria = $state.raw<ListCriteria | null>(null);
  #pages = $state.raw<Pages>(firstPage());
  /** The pages of the answer shown: "affichage de a à b" counts from it, not from a turn under way. */
  #shown = $state.raw<Pages>(firstPage());
  #items = $state.raw<RdvLine[]>([]);
  #total = $state(0);
  #next = $state<string | undefined>(undefined);
  #loaded = $state(false);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #status = $state<LiveStatus>('connecting');

  #followed = '';
  #unfollow: (() => void) | null = null;
  #seq = 0;
  #turning = false;
  #readScheduled = false;
  /** Pages re-read because of live events (the tests watch it). */
  liveReads = 0;

  constructor(options: RdvListOptions) {
    this.#api = options.api;
    this.#follow = options.follow ?? followServices;
    this.#schedule = options.schedule ?? nextFrame;
    this.#memory = options.memory;
  }

  get items(): RdvLine[] {
    return this.#items;
  }
  get total(): number {
    return this.#total;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }
  get status(): LiveStatus {
    return this.#status;
  }
  get hasPrevious(): boolean {
    return this.#shown.length > 1;
  }
  get hasNext(): boolean {
    return this.#next !== undefined;
  }
  /** The rank of the first row shown, 0-based. */
  get offset(): number {
    return this.#criteria ? pageOffset(this.#shown, this.#criteria.limit) : 0;
  }

  /**
   * Shows the first page of `criteria` and follows the rooms of `services` (those the list
   * covers); the subscription changes only when that set does.
   */
  async show(criteria: ListCriteria, services: readonly string[]): Promise<void> {
    const key = [...services].sort().join(',');
    if (key !== this.#followed || !this.#unfollow) {
      this.#unfollow?.();
      this.#followed = key;
      this.#unfollow = this.#follow(services, {
        onEvent: () => this.#liveRead(),
        onStatus: (s) => {
          this.#status = s;
          // Live again: what happened while the socket was away is read from the API.
          if (s === 'live' && this.#loaded) void this.reload();
        },
        onResync: () => void this.reload(),
      });
    }
    this.#criteria = criteria;
    this.#pages = this.#memory?.read(criteriaKey(criteria)) ?? firstPage();
    await this.reload();
  }

  stop() {
    this.#unfollow?.();
    this.#unfollow = null;
    this.#followed = '';
  }

  async next(): Promise<void> {
    const cursor = this.#next;
    if (cursor === undefined) return;
    await this.#turn(() => nextPage(this.#pages, cursor));
  }

  async previous(): Promise<void> {
    await this.#turn(() => previousPage(this.#pages));
  }

  /** One turn at a time: a second click before the page came would push the same cursor twice. */
  async #turn(pages: () => Pages): Promise<void> {
    if (this.#turning) return;
    this.#turning = true;
    try {
      this.#pages = pages();
      await this.reload();
    } finally {
      this.#turning = false;
    }
  }

  /** Reads the current page again (the newest read wins). */
  async reload(): Promise<void> {
    const criteria = this.#criteria;
    if (!criteria) return;
    const seq = ++this.#seq;
    this.#loading = true;
    const pages = this.#pages;
    const cursor = currentCursor(pages);
    try {
      const page = await this.#api.listRdvs({
        ...listApiQuery(criteria),
        ...(cursor ? { cursor } : {}),
        limit: criteria.limit,
      });
      if (seq !== this.#seq) return;
      // A page emptied by cancellations (its rows gone): go back to the one before.
      if (page.items.length === 0 && this.#pages.length > 1) {
        this.#pages = previousPage(this.#pages);
        this.#loading = false;
        await this.reload();
        return;
      }
      this.#items = page.items;
      this.#shown = pages;
      this.#memory?.write(criteriaKey(criteria), pages);
      this.#total = page.total;
      this.#next = page.nextCursor;
      this.#error = null;
      this.#loaded = true;
    } catch (err) {
      if (seq !== this.#seq) return;
      // A cursor kept from an earlier visit that the API no longer takes: the first page.
      if (err instanceof ApiError && err.status === 422 && pages.length > 1) {
        this.#pages = firstPage();
        this.#loading = false;
        await this.reload();
        return;
      }
      this.#items = [];
      this.#shown = pages;
      this.#total = 0;
      this.#next = undefined;
      this.#loaded = true;
      this.#error = messageOf(
        err,
        'La liste n’a pas pu être chargée. Vérifiez votre connexion puis réessayez.',
      );
    } finally {
      if (seq === this.#seq) this.#loading = false;
    }
  }

  /** "Arrivé / Non arrivé" from the list: the row shows the answer at once; the room's event agrees. */
  async setArrival(line: RdvLine, arrived: boolean): Promise<string | null> {
    try {
      const rdv = await this.#api.setArrival(line.id, arrived);
      this.#items = this.#items.map((i) =>
        i.id === line.id ? { ...i, arrived: rdv.arrived, etat: rdv.arrived ? 'Arrivé' : 'Non arrivé' } : i,
      );
      return null;
    } catch (err) {
      return messageOf(
        err,
        'L’arrivée n’a pas pu être enregistrée. Vérifiez votre connexion puis réessayez.',
      );
    }
  }

  #liveRead() {
    if (this.#readScheduled) return;
    this.#readScheduled = true;
    this.#schedule(() => {
      this.#readScheduled = false;
      this.liveReads++;
      void this.reload();
    });
  }
}
