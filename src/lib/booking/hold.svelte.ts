import { type Api, ApiError, type Hold, type RdvType } from '#lib/api/client.ts';
import { formatTime } from '#lib/format.ts';

/** Minutes left on a hold at which we tell the usager (not every second: it would be noise). */
const HOLD_THRESHOLDS = [5, 2, 1];

export type HoldContext = {
  api: Api;
  serviceCode: string;
  timeZone: string;
  announce: (message: string) => void;
  /** The free slots may have changed (a hold placed, refused, released or expired). */
  onSlotsChanged: () => void;
};

/**
 * The slot kept for this browser while the usager fills the form, and its countdown. The server
 * decides the expiry; this only shows it, announces it at a few thresholds, and lets go at zero.
 */
export class HoldState {
  readonly #ctx: HoldContext;

  current = $state<Hold | null>(null);
  /** A hold is being placed: the time buttons wait. */
  placing = $state(false);
  error = $state<string | null>(null);
  expired = $state(false);
  now = $state(Date.now());

  #ticker: ReturnType<typeof setInterval> | undefined;
  #announcedThresholds = new Set<number>();
  /** The start of the last slot this browser held, kept after it expired or was released. */
  #lastStart: string | undefined;

  constructor(ctx: HoldContext) {
    this.#ctx = ctx;
  }

  /**
   * The slot this browser holds or held last: a list fetched late (on a loaded machine, after the
   * hold expired) may still show it, and its going away then is not someone else's booking.
   */
  get ownStart(): string | undefined {
    return this.current?.start ?? this.#lastStart;
  }

  get remainingMs(): number {
    return this.current ? Math.max(0, Date.parse(this.current.expiresAt) - this.now) : 0;
  }

  get remainingMinutes(): number {
    return Math.ceil(this.remainingMs / 60_000);
  }

  /** Asks the server to keep the slot starting at `start`; false (with `error`) when refused. */
  async place(start: string, question: { motif: number; type: RdvType }): Promise<boolean> {
    if (this.placing) return false;
    this.placing = true;
    this.error = null;
    this.expired = false;
    const previous = this.current;
    try {
      const hold = await this.#ctx.api.placeHold({
        serviceCode: this.#ctx.serviceCode,
        motifId: question.motif,
        type: question.type,
        start,
      });
      this.current = hold;
      this.#lastStart = hold.start;
      this.#announcedThresholds.clear();
      this.#startTicker();
      // The server releases the previous hold of this browser; say it explicitly anyway.
      if (previous && previous.holdId !== hold.holdId)
        void this.#ctx.api.releaseHold(previous.holdId).catch(() => {});
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.error = `Le créneau de ${formatTime(start, this.#ctx.timeZone)} vient d’être réservé par une autre personne. Choisissez-en un autre.`;
      } else if (err instanceof ApiError && err.status === 429) {
        this.error = `Trop de demandes en peu de temps : réessayez dans ${err.retryAfter ?? 60} secondes.`;
      } else {
        this.error = 'Le créneau n’a pas pu être réservé. Vérifiez votre connexion puis réessayez.';
      }
      this.#ctx.onSlotsChanged();
      return false;
    } finally {
      this.placing = false;
    }
  }

  /** Gives the held slot back to everyone (e.g. "Changer de créneau"). */
  async release() {
    const hold = this.current;
    this.current = null;
    this.#stopTicker();
    if (hold) await this.#ctx.api.releaseHold(hold.holdId).catch(() => {});
    this.#ctx.onSlotsChanged();
  }

  /**
   * Best effort when the page goes away: the request is sent with `keepalive` so it outlives the
   * page; the hold would expire by itself anyway.
   */
  releaseOnExit() {
    const hold = this.current;
    if (hold) void this.#ctx.api.releaseHold(hold.holdId, { keepalive: true }).catch(() => {});
  }

  /** The hold became the rdv: nothing to release, the countdown stops. */
  consumed() {
    this.current = null;
    this.#stopTicker();
  }

  /** The server says the hold is gone (slot taken, or delay over). */
  lost(expired: boolean) {
    this.current = null;
    this.#stopTicker();
    this.expired = expired;
  }

  /** A new search: whatever expired before is no longer news. */
  forgetExpiry() {
    this.expired = false;
  }

  stop() {
    this.#stopTicker();
  }

  #startTicker() {
    this.#stopTicker();
    this.now = Date.now();
    this.#ticker = setInterval(() => this.#tick(), 1_000);
  }

  #stopTicker() {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #tick() {
    this.now = Date.now();
    if (!this.current) return this.#stopTicker();
    const left = this.remainingMs;
    if (left <= 0) {
      this.lost(true);
      this.#ctx.announce('Le délai de réservation du créneau est dépassé. Choisissez de nouveau un créneau.');
      this.#ctx.onSlotsChanged();
      return;
    }
    const minutesLeft = Math.ceil(left / 60_000);
    for (const t of HOLD_THRESHOLDS) {
      if (minutesLeft <= t && !this.#announcedThresholds.has(t)) {
        for (const x of HOLD_THRESHOLDS) if (x >= t) this.#announcedThresholds.add(x);
        this.#ctx.announce(
          `Il vous reste ${t === 1 ? 'moins d’une minute' : `${t} minutes`} pour terminer votre demande de rendez-vous.`,
        );
        break;
      }
    }
  }
}
