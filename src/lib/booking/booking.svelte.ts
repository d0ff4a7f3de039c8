import {
  type Api,
  ApiError,
  type Hold,
  type Motif,
  type Rdv,
  type RdvType,
  type ServiceCard,
  type SlotDay,
} from '#lib/api/client.ts';
import { addDays, formatDay, formatTime, localDay } from '#lib/format.ts';
import { followSlots, type SlotEvent } from '#lib/realtime/slot-events.ts';

export type Step = 'question' | 'rendez-vous' | 'confirmation';
export type Audience = 'particulier' | 'professionnel';

/** What the usager types in the form; kept as typed whatever the server answers. */
export type ContactFields = {
  civilite: '' | 'M' | 'MME';
  nomUsage: string;
  nomNaissance: string;
  prenoms: string;
  dateNaissance: string;
  numeroFiscal: string;
  raisonSociale: string;
  siren: string;
  telephone1: string;
  telephone2: string;
  rappelMatin: boolean;
  rappelApresMidi: boolean;
  email: string;
  precisions: string;
};

export type FieldError = { field: keyof ContactFields | 'captcha' | 'form'; message: string };

/** How far ahead we ask for slots: the server clips to its window (30 days from 2 working days ahead). */
const LOOKAHEAD_DAYS = 45;
/** Live events arrive in bursts (a storm of bookings): one refetch per burst. */
const REFETCH_DEBOUNCE_MS = 100;
/** Minutes left on a hold at which we tell the usager (not every second: it would be noise). */
const HOLD_THRESHOLDS = [5, 2, 1];

const emptyFields = (): ContactFields => ({
  civilite: '',
  nomUsage: '',
  nomNaissance: '',
  prenoms: '',
  dateNaissance: '',
  numeroFiscal: '',
  raisonSociale: '',
  siren: '',
  telephone1: '',
  telephone2: '',
  rappelMatin: false,
  rappelApresMidi: false,
  email: '',
  precisions: '',
});

/** Maps an API error field ("usager.telephones.0") to the field of the form. */
export function formField(apiField: string): FieldError['field'] {
  const f = apiField.replace(/^usager\./, '');
  if (f === 'telephones' || f === 'telephones.0') return 'telephone1';
  if (f === 'telephones.1') return 'telephone2';
  if (f === 'rappel' || f.startsWith('rappel.')) return 'rappelMatin';
  if (f === 'captcha') return 'captcha';
  const known = Object.keys(emptyFields()) as (keyof ContactFields)[];
  return (known as string[]).includes(f) ? (f as keyof ContactFields) : 'form';
}

/**
 * The state of the booking wizard of one service: the question (motif, type), the live
 * calendar of free slots, the hold, the contact form and the confirmation. Components read it
 * and call its methods; live events are batched into it, never patched into the DOM.
 */
export class BookingStore {
  readonly service: ServiceCard;
  readonly audience: Audience;
  readonly #api: Api;

  // Step 1: the question.
  step = $state<Step>('question');
  motifId = $state<number | null>(null);
  subMotifId = $state<number | null>(null);
  type = $state<RdvType | null>(null);
  questionErrors = $state<FieldError[]>([]);

  // Step 2: the calendar.
  #days = $state<SlotDay[]>([]);
  loadingSlots = $state(false);
  slotsError = $state<string | null>(null);
  /** The displayed month, "YYYY-MM". */
  month = $state('');
  selectedDay = $state<string | null>(null);
  /** Polite announcements of live changes and of the hold's countdown (aria-live region). */
  announcement = $state('');
  live = $state(true);

  // The hold.
  hold = $state<Hold | null>(null);
  holding = $state(false);
  holdError = $state<string | null>(null);
  holdExpired = $state(false);
  now = $state(Date.now());

  // The form.
  fields = $state<ContactFields>(emptyFields());
  captcha = $state<string | null>(null);
  errors = $state<FieldError[]>([]);
  submitting = $state(false);
  /** Incremented when the captcha must be solved again (the widget resets). */
  captchaGeneration = $state(0);
  #idempotencyKey: string | null = null;

  // Step 3.
  rdv = $state<Rdv | null>(null);

  #unfollow: (() => void) | null = null;
  #refetchTimer: ReturnType<typeof setTimeout> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #announcedThresholds = new Set<number>();
  #fetchSeq = 0;
  #latestFetch: Promise<void> = Promise.resolve();

  constructor(api: Api, service: ServiceCard, options: { audience?: Audience; motif?: string | null } = {}) {
    this.#api = api;
    this.service = service;
    this.audience = options.audience ?? 'particulier';
    if (service.types.length === 1) this.type = service.types[0] ?? null;
    if (options.motif) this.#preselect(options.motif);
  }

  #preselect(wanted: string) {
    const matches = (m: { id: number; code?: string }) => String(m.id) === wanted || m.code === wanted;
    for (const motif of this.service.motifs) {
      if (matches(motif)) {
        this.motifId = motif.id;
        return;
      }
      const child = motif.children.find((c) => matches(c as { id: number; code?: string }));
      if (child) {
        this.motifId = motif.id;
        this.subMotifId = child.id;
        return;
      }
    }
  }

  get motif(): Motif | undefined {
    return this.service.motifs.find((m) => m.id === this.motifId);
  }

  /** The motif booked: the sub-motif when the motif has some. */
  get bookedMotifId(): number | null {
    const motif = this.motif;
    if (!motif) return null;
    return motif.children.length > 0 ? this.subMotifId : motif.id;
  }

  selectMotif(id: number) {
    if (id !== this.motifId) this.subMotifId = null;
    this.motifId = id;
  }

  // ——— Step 1 → 2 ———

  validateQuestion(): boolean {
    const errors: FieldError[] = [];
    if (!this.motif) errors.push({ field: 'form', message: 'Choisissez le motif de votre rendez-vous.' });
    else if (this.bookedMotifId === null)
      errors.push({ field: 'form', message: 'Précisez le motif de votre rendez-vous.' });
    if (!this.type)
      errors.push({
        field: 'form',
        message: 'Indiquez si vous souhaitez être reçu au guichet ou rappelé par téléphone.',
      });
    this.questionErrors = errors;
    return errors.length === 0;
  }

  /** "Rechercher un créneau disponible": loads the free slots and starts following them live. */
  async searchSlots(): Promise<boolean> {
    if (!this.validateQuestion()) return false;
    this.step = 'rendez-vous';
    this.selectedDay = null;
    this.holdExpired = false;
    this.month = '';
    this.#days = [];
    this.#startFollowing();
    await this.fetchSlots();
    if (!this.month) this.month = localDay(new Date()).slice(0, 7);
    return true;
  }

  /** Back to the question: the hold is released and live updates stop. */
  async backToQuestion() {
    await this.releaseHold();
    this.#stopFollowing();
    this.step = 'question';
  }

  // ——— Slots ———

  get days(): SlotDay[] {
    return this.#days;
  }

  /** Free slots by day, without the slot this browser holds (it is shown apart). */
  get slotsByDay(): Map<string, SlotDay['slots']> {
    return new Map(this.#days.map((d) => [d.date, d.slots]));
  }

  get availableMonths(): string[] {
    const months = [...new Set(this.#days.map((d) => d.date.slice(0, 7)))];
    if (this.month && !months.includes(this.month)) months.push(this.month);
    return months.sort();
  }

  get slotsOfSelectedDay(): SlotDay['slots'] {
    return (this.selectedDay && this.slotsByDay.get(this.selectedDay)) || [];
  }

  /**
   * Fetches the free slots of the whole window. Several fetches may overlap (a live burst, a
   * reconnection): only the newest is applied, and callers of an older one wait for the newest.
   */
  fetchSlots(): Promise<void> {
    const motif = this.bookedMotifId;
    if (motif === null || !this.type) return Promise.resolve();
    const seq = ++this.#fetchSeq;
    const from = localDay(new Date());
    this.loadingSlots = true;
    const run = (async () => {
      try {
        const { days } = await this.#api.slots(this.service.code, {
          motif,
          type: this.type as RdvType,
          from,
          to: addDays(from, LOOKAHEAD_DAYS),
        });
        if (seq !== this.#fetchSeq) return this.#latestFetch;
        this.#applyDays(days.filter((d) => d.slots.length > 0));
        this.slotsError = null;
      } catch (err) {
        if (seq !== this.#fetchSeq) return this.#latestFetch;
        this.slotsError =
          err instanceof ApiError && err.status === 429
            ? 'Trop de demandes en peu de temps : patientez quelques secondes, la liste se mettra à jour.'
            : 'Les créneaux n’ont pas pu être chargés. Vérifiez votre connexion puis réessayez.';
      } finally {
        if (seq === this.#fetchSeq) this.loadingSlots = false;
      }
    })();
    this.#latestFetch = run;
    return run;
  }

  /** Replaces the days, and says politely what changed on the day the usager is looking at. */
  #applyDays(days: SlotDay[]) {
    const day = this.selectedDay;
    const before = new Set(this.slotsOfSelectedDay.map((s) => s.start));
    this.#days = days;
    // The first answer after "Rechercher" opens the calendar on the month of the first free day.
    if (!this.month) this.month = (days[0]?.date ?? localDay(new Date())).slice(0, 7);
    if (!day || this.step !== 'rendez-vous') return;
    const after = new Set(this.slotsOfSelectedDay.map((s) => s.start));
    const held = this.hold?.start;
    const sameInstant = (a: string, b: string | undefined) =>
      b !== undefined && Date.parse(a) === Date.parse(b);
    const gone = [...before].filter((s) => !after.has(s) && !sameInstant(s, held));
    const back = [...after].filter((s) => !before.has(s));
    const parts: string[] = [];
    const times = (list: string[]) => list.map(formatTime).join(', ');
    if (gone.length === 1) parts.push(`Le créneau de ${times(gone)} vient d’être pris.`);
    else if (gone.length > 1) parts.push(`Les créneaux de ${times(gone)} viennent d’être pris.`);
    if (back.length === 1) parts.push(`Le créneau de ${times(back)} est de nouveau libre.`);
    else if (back.length > 1) parts.push(`Les créneaux de ${times(back)} sont de nouveau libres.`);
    if (parts.length > 0) this.announce(parts.join(' '));
  }

  selectDay(day: string) {
    this.selectedDay = day;
    this.month = day.slice(0, 7);
  }

  announce(message: string) {
    // Same text twice in a row would not be read again: reset first.
    this.announcement = '';
    queueMicrotask(() => {
      this.announcement = message;
    });
  }

  // ——— Live ———

  #startFollowing() {
    if (this.#unfollow || typeof window === 'undefined') return;
    this.#unfollow = followSlots(this.service.code, {
      onChange: (e) => this.#onSlotEvent(e),
      onResync: () => this.#scheduleRefetch(),
      onStatus: (connected) => {
        this.live = connected;
        if (connected) this.#scheduleRefetch();
      },
    });
  }

  #stopFollowing() {
    this.#unfollow?.();
    this.#unfollow = null;
    clearTimeout(this.#refetchTimer);
  }

  #onSlotEvent(e: SlotEvent) {
    if (this.step !== 'rendez-vous' || e.type !== this.type) return;
    // Only the range on screen matters; we hold the whole window, so any day inside it.
    this.#scheduleRefetch();
  }

  #scheduleRefetch() {
    if (this.step !== 'rendez-vous') return;
    clearTimeout(this.#refetchTimer);
    this.#refetchTimer = setTimeout(() => void this.fetchSlots(), REFETCH_DEBOUNCE_MS);
  }

  // ——— Hold ———

  get holdRemainingMs(): number {
    return this.hold ? Math.max(0, Date.parse(this.hold.expiresAt) - this.now) : 0;
  }

  get holdRemainingMinutes(): number {
    return Math.ceil(this.holdRemainingMs / 60_000);
  }

  async chooseSlot(start: string): Promise<boolean> {
    const motif = this.bookedMotifId;
    if (motif === null || !this.type || this.holding) return false;
    this.holding = true;
    this.holdError = null;
    this.holdExpired = false;
    const previous = this.hold;
    try {
      const hold = await this.#api.placeHold({
        serviceCode: this.service.code,
        motifId: motif,
        type: this.type,
        start,
      });
      this.hold = hold;
      this.#announcedThresholds.clear();
      this.#startTicker();
      // The server releases the previous hold of this browser; say it explicitly anyway.
      if (previous && previous.holdId !== hold.holdId)
        void this.#api.releaseHold(previous.holdId).catch(() => {});
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.holdError = `Le créneau de ${formatTime(start)} vient d’être réservé par une autre personne. Choisissez-en un autre.`;
      } else if (err instanceof ApiError && err.status === 429) {
        this.holdError = `Trop de demandes en peu de temps : réessayez dans ${err.retryAfter ?? 60} secondes.`;
      } else {
        this.holdError = 'Le créneau n’a pas pu être réservé. Vérifiez votre connexion puis réessayez.';
      }
      void this.fetchSlots();
      return false;
    } finally {
      this.holding = false;
    }
  }

  /** Gives the held slot back to everyone (e.g. "Changer de créneau"). */
  async releaseHold() {
    const hold = this.hold;
    this.hold = null;
    this.#stopTicker();
    if (hold) await this.#api.releaseHold(hold.holdId).catch(() => {});
    if (this.step === 'rendez-vous') void this.fetchSlots();
  }

  /** Best effort when the page goes away: the hold would expire by itself anyway. */
  releaseOnExit() {
    const hold = this.hold;
    if (!hold || this.step === 'confirmation') return;
    void fetch(`/api/v1/holds/${encodeURIComponent(hold.holdId)}`, {
      method: 'DELETE',
      keepalive: true,
    }).catch(() => {});
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
    if (!this.hold) return this.#stopTicker();
    const left = this.holdRemainingMs;
    if (left <= 0) {
      this.hold = null;
      this.holdExpired = true;
      this.#stopTicker();
      this.announce('Le délai de réservation du créneau est dépassé. Choisissez de nouveau un créneau.');
      void this.fetchSlots();
      return;
    }
    const minutesLeft = Math.ceil(left / 60_000);
    for (const t of HOLD_THRESHOLDS) {
      if (minutesLeft <= t && !this.#announcedThresholds.has(t)) {
        for (const x of HOLD_THRESHOLDS) if (x >= t) this.#announcedThresholds.add(x);
        this.announce(
          `Il vous reste ${t === 1 ? 'moins d’une minute' : `${t} minutes`} pour terminer votre demande de rendez-vous.`,
        );
        break;
      }
    }
  }

  // ——— Form ———

  validateForm(): FieldError[] {
    const f = this.fields;
    const errors: FieldError[] = [];
    if (!f.civilite)
      errors.push({ field: 'civilite', message: 'Indiquez votre civilité (Monsieur ou Madame).' });
    if (!f.nomUsage.trim()) errors.push({ field: 'nomUsage', message: 'Le nom d’usage est obligatoire.' });
    if (!f.prenoms.trim()) errors.push({ field: 'prenoms', message: 'Le ou les prénoms sont obligatoires.' });
    if (f.numeroFiscal.trim() && !/^\d{13}$/.test(f.numeroFiscal.replace(/[\s.]/g, '')))
      errors.push({ field: 'numeroFiscal', message: 'Le numéro fiscal comporte 13 chiffres.' });
    if (this.audience === 'professionnel') {
      if (!f.raisonSociale.trim())
        errors.push({
          field: 'raisonSociale',
          message: 'La raison sociale est obligatoire pour un professionnel.',
        });
      if (!/^\d{9}$/.test(f.siren.replace(/[\s.]/g, '')))
        errors.push({
          field: 'siren',
          message: 'Le SIREN est obligatoire pour un professionnel : 9 chiffres.',
        });
    }
    if (!f.telephone1.trim() && !f.telephone2.trim())
      errors.push({ field: 'telephone1', message: 'Au moins un numéro de téléphone est obligatoire.' });
    if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim()))
      errors.push({ field: 'email', message: 'Adresse électronique invalide (exemple : nom@domaine.fr).' });
    if (!f.precisions.trim())
      errors.push({ field: 'precisions', message: 'Précisez l’objet de votre demande.' });
    if (!this.captcha)
      errors.push({
        field: 'captcha',
        message: 'Cochez la case « Je ne suis pas un robot » et attendez la vérification.',
      });
    return errors;
  }

  errorOf(field: FieldError['field']): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }

  /** Sends the form. Returns true when the rdv is booked (step 3). */
  async submit(): Promise<boolean> {
    if (this.submitting) return false;
    const errors = this.validateForm();
    if (!this.hold) {
      errors.unshift({
        field: 'form',
        message: 'Le créneau n’est plus réservé pour vous : choisissez de nouveau un créneau.',
      });
    }
    this.errors = errors;
    if (errors.length > 0 || !this.hold || !this.captcha) return false;

    const f = this.fields;
    const trim = (v: string) => v.trim() || undefined;
    const rappel: ('matin' | 'apres-midi')[] = [];
    if (f.rappelMatin) rappel.push('matin');
    if (f.rappelApresMidi) rappel.push('apres-midi');
    // One key per submission, kept if it has to be sent again (network loss, 429, 5xx).
    this.#idempotencyKey ??= crypto.randomUUID();
    this.submitting = true;
    try {
      const rdv = await this.#api.book(
        {
          holdId: this.hold.holdId,
          usager: {
            type: this.audience,
            civilite: f.civilite as 'M' | 'MME',
            nomUsage: f.nomUsage.trim(),
            nomNaissance: trim(f.nomNaissance),
            prenoms: f.prenoms.trim(),
            dateNaissance: trim(f.dateNaissance),
            numeroFiscal: trim(f.numeroFiscal),
            siren: this.audience === 'professionnel' ? trim(f.siren) : undefined,
            raisonSociale: this.audience === 'professionnel' ? trim(f.raisonSociale) : undefined,
            telephones: [f.telephone1, f.telephone2].map((t) => t.trim()).filter(Boolean),
            rappel: rappel.length > 0 ? rappel : undefined,
            email: trim(f.email),
          },
          precisions: f.precisions.trim(),
          captcha: this.captcha,
        },
        this.#idempotencyKey,
      );
      this.#idempotencyKey = null;
      this.rdv = rdv;
      this.hold = null;
      this.#stopTicker();
      this.#stopFollowing();
      this.step = 'confirmation';
      return true;
    } catch (err) {
      this.#onSubmitError(err);
      return false;
    } finally {
      this.submitting = false;
    }
  }

  #onSubmitError(err: unknown) {
    if (!(err instanceof ApiError)) {
      // Network loss: the same key will be sent again, the server answers once.
      this.errors = [
        {
          field: 'form',
          message: 'La demande n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez.',
        },
      ];
      return;
    }
    if (err.status === 429) {
      this.errors = [
        {
          field: 'form',
          message: `Trop de demandes en peu de temps : réessayez dans ${err.retryAfter ?? 60} secondes.`,
        },
      ];
      return;
    }
    if (err.status >= 500) {
      this.errors = [
        { field: 'form', message: 'Le service rencontre un problème. Réessayez dans quelques instants.' },
      ];
      return;
    }
    this.#idempotencyKey = null; // a definitive answer: the next submission is a new one
    if (err.status === 422 && err.problem?.errors?.length) {
      this.errors = err.problem.errors.map((e) => ({ field: formField(e.field), message: e.message }));
      if (this.errors.some((e) => e.field === 'captcha')) this.resetCaptcha();
      return;
    }
    if (err.status === 409 || err.status === 410) {
      this.hold = null;
      this.#stopTicker();
      this.holdExpired = err.status === 410;
      this.errors = [
        {
          field: 'form',
          message:
            err.status === 409
              ? 'Ce créneau vient d’être pris par une autre personne. Choisissez un autre créneau : vos informations sont conservées.'
              : 'Le délai de réservation du créneau est dépassé. Choisissez de nouveau un créneau : vos informations sont conservées.',
        },
      ];
      void this.fetchSlots();
      return;
    }
    if (err.problem?.code?.startsWith('CAPTCHA')) {
      this.resetCaptcha();
      this.errors = [{ field: 'captcha', message: err.message }];
      return;
    }
    this.errors = [{ field: 'form', message: err.message }];
  }

  resetCaptcha() {
    this.captcha = null;
    this.captchaGeneration++;
  }

  dayLabel(day: string): string {
    return formatDay(day);
  }

  destroy() {
    this.releaseOnExit();
    this.#stopFollowing();
    this.#stopTicker();
  }
}
