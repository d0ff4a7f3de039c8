import type { Api, Audience, Motif, Rdv, RdvType, ServiceCard } from '#lib/api/client.ts';
import { ContactFormState, type FieldError } from './contact-form.svelte.ts';
import { HoldState } from './hold.svelte.ts';
import { SlotsState } from './slots.svelte.ts';

export type { ContactFields, FieldError } from './contact-form.svelte.ts';
export type { Audience };

export type Step = 'question' | 'rendez-vous' | 'confirmation';

/**
 * The answers of step 1 as the query string and the form name them (`motif`, `sous-motif`,
 * `type`): step 1 is a GET form, so a choice survives a page that has not run its scripts yet.
 * `motif` may also be a motif's code (links from /contact) or a sub-motif's id.
 */
export type QuestionChoices = { motif?: string | null; sousMotif?: string | null; type?: string | null };

/**
 * The state of the booking wizard of one service: the question (motif, type), then the live
 * calendar of free slots (`slots`), the hold (`hold`), the contact form (`form`) and the
 * confirmation. Components read it and call its methods; live events are batched into it, never
 * patched into the DOM.
 */
export class BookingStore {
  readonly service: ServiceCard;
  readonly audience: Audience;
  /** The office's zone: every time and day of the wizard is in it. */
  readonly timeZone: string;

  step = $state<Step>('question');
  motifId = $state<number | null>(null);
  subMotifId = $state<number | null>(null);
  type = $state<RdvType | null>(null);
  questionErrors = $state<FieldError[]>([]);
  /** Polite announcements of live changes and of the hold's countdown (aria-live region). */
  announcement = $state('');
  rdv = $state<Rdv | null>(null);

  readonly slots: SlotsState;
  readonly hold: HoldState;
  readonly form: ContactFormState;

  constructor(
    api: Api,
    service: ServiceCard,
    options: { audience?: Audience; choices?: QuestionChoices } = {},
  ) {
    this.service = service;
    this.audience = options.audience ?? 'particulier';
    this.timeZone = service.timeZone;
    const announce = (message: string) => this.announce(message);
    this.slots = new SlotsState({
      api,
      serviceCode: service.code,
      timeZone: this.timeZone,
      question: () => this.#question(),
      heldStart: () => this.hold.ownStart,
      announce,
    });
    this.hold = new HoldState({
      api,
      serviceCode: service.code,
      timeZone: this.timeZone,
      announce,
      onSlotsChanged: () => {
        if (this.step === 'rendez-vous') void this.slots.fetch();
      },
    });
    this.form = new ContactFormState(api, this.audience);
    if (service.types.length === 1) this.type = service.types[0] ?? null;
    this.adopt(options.choices ?? {});
  }

  /**
   * Takes answers given by the URL, or left checked in the page by a person who did not wait for
   * its scripts; unknown values are ignored.
   */
  adopt(choices: QuestionChoices) {
    if (choices.motif) this.#preselect(choices.motif);
    const child = this.motif?.children.find((c) => String(c.id) === choices.sousMotif);
    if (child) this.subMotifId = child.id;
    const type = this.service.types.find((t) => t === choices.type);
    if (type) this.type = type;
  }

  #preselect(wanted: string) {
    const matches = (m: { id: number; code: string }) => String(m.id) === wanted || m.code === wanted;
    for (const motif of this.service.motifs) {
      if (matches(motif)) {
        this.selectMotif(motif.id);
        return;
      }
      const child = motif.children.find(matches);
      if (child) {
        this.selectMotif(motif.id);
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

  #question(): { motif: number; type: RdvType } | null {
    const motif = this.bookedMotifId;
    return motif === null || !this.type ? null : { motif, type: this.type };
  }

  selectMotif(id: number) {
    if (id !== this.motifId) this.subMotifId = null;
    this.motifId = id;
  }

  announce(message: string) {
    // Same text twice in a row would not be read again: reset first.
    this.announcement = '';
    queueMicrotask(() => {
      this.announcement = message;
    });
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
    this.hold.forgetExpiry();
    this.slots.reset();
    await this.slots.start();
    return true;
  }

  /** Back to the question: the hold is released and live updates stop. */
  async backToQuestion() {
    await this.hold.release();
    this.slots.stop();
    this.step = 'question';
  }

  // ——— Step 2 ———

  async chooseSlot(start: string): Promise<boolean> {
    const question = this.#question();
    return question ? this.hold.place(start, question) : false;
  }

  /** Sends the form. Returns true when the rdv is booked (step 3). */
  async submit(): Promise<boolean> {
    const outcome = await this.form.submit(this.hold.current?.holdId ?? null);
    if (outcome.kind === 'slot-lost') {
      this.hold.lost(outcome.expired);
      void this.slots.fetch();
    }
    if (outcome.kind !== 'booked') return false;
    this.rdv = outcome.rdv;
    this.hold.consumed();
    this.slots.stop();
    this.step = 'confirmation';
    return true;
  }

  /** The page goes away: give the slot back to others at once (best effort). */
  releaseOnExit() {
    if (this.step !== 'confirmation') this.hold.releaseOnExit();
  }

  destroy() {
    this.releaseOnExit();
    this.slots.stop();
    this.hold.stop();
  }
}
