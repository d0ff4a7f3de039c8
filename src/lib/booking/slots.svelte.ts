import { type Api, ApiError, type RdvType, type SlotDay } from '#lib/api/client.ts';
import { addDays, formatTime, localDay } from '#lib/format.ts';
import { followSlots, type SlotEvent } from '#lib/realtime/slot-events.ts';

/** How far ahead we ask for slots: the server clips to its window (30 days from 2 working days ahead). */
const LOOKAHEAD_DAYS = 45;
/** Live events arrive in bursts (a storm of bookings): one refetch per burst. */
const REFETCH_DEBOUNCE_MS = 100;

/** What the slots depend on, read from the wizard each time they are fetched. */
export type SlotsContext = {
  /** The public slots, or any list of the same shape (the agents' parcours simplifié). */
  api: Pick<Api, 'slots'>;
  serviceCode: string;
  timeZone: string;
  /** The motif and type asked for, or null while the question is incomplete. */
  question: () => { motif: number; type: RdvType } | null;
  /** The start of the slot this browser holds (or held last): its disappearance is not news to the usager. */
  heldStart: () => string | undefined;
  announce: (message: string) => void;
  /** Days asked for from today (the server clips to the canal's window); 45 by default. */
  lookaheadDays?: number;
};

/**
 * The free slots of the calendar (step 2), kept up to date live: slot events of the service's
 * room schedule one refetch per burst, the API being the source of truth. What changed on the
 * day the usager is looking at is announced politely; events are never patched into the list.
 */
export class SlotsState {
  readonly #ctx: SlotsContext;

  #days = $state<SlotDay[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The displayed month, "YYYY-MM". */
  month = $state('');
  selectedDay = $state<string | null>(null);
  /** Whether live updates are connected (a notice says so when they are not). */
  live = $state(true);

  #following = false;
  #unfollow: (() => void) | null = null;
  #refetchTimer: ReturnType<typeof setTimeout> | undefined;
  #fetchSeq = 0;
  #latestFetch: Promise<void> = Promise.resolve();

  constructor(ctx: SlotsContext) {
    this.#ctx = ctx;
  }

  get days(): SlotDay[] {
    return this.#days;
  }

  get byDay(): Map<string, SlotDay['slots']> {
    return new Map(this.#days.map((d) => [d.date, d.slots]));
  }

  get availableMonths(): string[] {
    const months = [...new Set(this.#days.map((d) => d.date.slice(0, 7)))];
    if (this.month && !months.includes(this.month)) months.push(this.month);
    return months.sort();
  }

  get ofSelectedDay(): SlotDay['slots'] {
    return (this.selectedDay && this.byDay.get(this.selectedDay)) || [];
  }

  /** Today in the office's zone (not the browser's: an overseas office has its own days). */
  #today(): string {
    return localDay(new Date(), this.#ctx.timeZone);
  }

  selectDay(day: string) {
    this.selectedDay = day;
    this.month = day.slice(0, 7);
  }

  /** A new search: nothing chosen, the calendar opens on the first answer's month. */
  reset() {
    this.selectedDay = null;
    this.month = '';
    this.#days = [];
  }

  /** Loads the free slots, then follows them live until stop(). */
  async start(): Promise<void> {
    this.#follow();
    await this.fetch();
    if (!this.month) this.month = this.#today().slice(0, 7);
  }

  stop() {
    this.#following = false;
    this.#unfollow?.();
    this.#unfollow = null;
    clearTimeout(this.#refetchTimer);
  }

  /**
   * Fetches the free slots of the whole window. Several fetches may overlap (a live burst, a
   * reconnection): only the newest is applied, and callers of an older one wait for the newest.
   */
  fetch(): Promise<void> {
    const question = this.#ctx.question();
    if (!question) return Promise.resolve();
    const seq = ++this.#fetchSeq;
    const from = this.#today();
    this.loading = true;
    const run = (async () => {
      try {
        const { days } = await this.#ctx.api.slots(this.#ctx.serviceCode, {
          ...question,
          from,
          to: addDays(from, this.#ctx.lookaheadDays ?? LOOKAHEAD_DAYS),
        });
        if (seq !== this.#fetchSeq) return this.#latestFetch;
        this.#apply(days.filter((d) => d.slots.length > 0));
        this.error = null;
      } catch (err) {
        if (seq !== this.#fetchSeq) return this.#latestFetch;
        // A refusal says why (an office that stopped opening its guichets to agents extérieurs
        // while the parcours was open, a service gone); anything else is the network's.
        this.error =
          err instanceof ApiError && err.status === 429
            ? 'Trop de demandes en peu de temps : patientez quelques secondes, la liste se mettra à jour.'
            : err instanceof ApiError && err.status >= 400 && err.status < 500 && err.problem?.detail
              ? err.problem.detail
              : 'Les créneaux n’ont pas pu être chargés. Vérifiez votre connexion puis réessayez.';
      } finally {
        if (seq === this.#fetchSeq) this.loading = false;
      }
    })();
    this.#latestFetch = run;
    return run;
  }

  /** Replaces the days, and says politely what changed on the day the usager is looking at. */
  #apply(days: SlotDay[]) {
    const day = this.selectedDay;
    const before = new Set(this.ofSelectedDay.map((s) => s.start));
    this.#days = days;
    // The first answer after "Rechercher" opens the calendar on the month of the first free day.
    if (!this.month) this.month = (days[0]?.date ?? this.#today()).slice(0, 7);
    if (!day || !this.#following) return;
    const after = new Set(this.ofSelectedDay.map((s) => s.start));
    const held = this.#ctx.heldStart();
    const sameInstant = (a: string, b: string | undefined) =>
      b !== undefined && Date.parse(a) === Date.parse(b);
    const gone = [...before].filter((s) => !after.has(s) && !sameInstant(s, held));
    const back = [...after].filter((s) => !before.has(s));
    const parts: string[] = [];
    const times = (list: string[]) => list.map((s) => formatTime(s, this.#ctx.timeZone)).join(', ');
    if (gone.length === 1) parts.push(`Le créneau de ${times(gone)} vient d’être pris.`);
    else if (gone.length > 1) parts.push(`Les créneaux de ${times(gone)} viennent d’être pris.`);
    if (back.length === 1) parts.push(`Le créneau de ${times(back)} est de nouveau libre.`);
    else if (back.length > 1) parts.push(`Les créneaux de ${times(back)} sont de nouveau libres.`);
    if (parts.length > 0) this.#ctx.announce(parts.join(' '));
  }

  #follow() {
    this.#following = true;
    if (this.#unfollow || typeof window === 'undefined') return;
    this.#unfollow = followSlots(this.#ctx.serviceCode, {
      onChange: (e) => this.#onSlotEvent(e),
      onResync: () => this.#scheduleRefetch(),
      onStatus: (connected) => {
        this.live = connected;
        if (connected) this.#scheduleRefetch();
      },
    });
  }

  #onSlotEvent(e: SlotEvent) {
    if (e.type !== this.#ctx.question()?.type) return;
    // Only the range on screen matters; we hold the whole window, so any day inside it.
    this.#scheduleRefetch();
  }

  #scheduleRefetch() {
    if (!this.#following) return;
    clearTimeout(this.#refetchTimer);
    this.#refetchTimer = setTimeout(() => void this.fetch(), REFETCH_DEBOUNCE_MS);
  }
}
