import type { Api, Audience, Motif, Rdv, ServiceCard } from '#lib/api/client.ts';
import { ContactFormState, type FieldError } from './contact-form.svelte.ts';
import { HoldState } from './hold.svelte.ts';
import { BookingQuestion, type QuestionGap } from './question.svelte.ts';
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

/** The question's missing answers, as the citizen is told them. */
const GAP_MESSAGES: Record<QuestionGap, string> = {
  motif: 'Choisissez le motif de votre rendez-vous.',
  'sous-motif': 'Précisez le motif de votre rendez-vous.',
  type: 'Indiquez si vous souhaitez être reçu au guichet ou rappelé par téléphone.',
};

/**
 * The state of the booking wizard of one service: the question (motif, type), then the live
 * calendar of free slots (`slots`), the hold (`hold`), the contact form (`form`) and the
 * confirmation. Components read it and call its methods; live events are batched into it, never
 * patched into the DOM.
 */
export class BookingStore extends BookingQuestion<Motif> {
  readonly service: ServiceCard;
  readonly audience: Audience;
  /** The office's zone: every time and day of the wizard is in it. */
  readonly timeZone: string;

  step = $state<Step>('question');
  questionErrors = $state<FieldError[]>([]);
  rdv = $state<Rdv | null>(null);

  readonly slots: SlotsState;
  readonly hold: HoldState;
  readonly form: ContactFormState;

  constructor(
    api: Api,
    service: ServiceCard,
    options: { audience?: Audience; choices?: QuestionChoices } = {},
  ) {
    super(service.motifs, service.types);
    this.service = service;
    this.audience = options.audience ?? 'particulier';
    this.timeZone = service.timeZone;
    const announce = (message: string) => this.announce(message);
    this.slots = new SlotsState({
      api,
      serviceCode: service.code,
      timeZone: this.timeZone,
      question: () => this.question,
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
    const type = this.types.find((t) => t === choices.type);
    if (type) this.type = type;
  }

  #preselect(wanted: string) {
    const matches = (m: { id: number; code: string }) => String(m.id) === wanted || m.code === wanted;
    for (const motif of this.motifs) {
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

  // ——— Step 1 → 2 ———

  validateQuestion(): boolean {
    this.questionErrors = this.gapMessages(GAP_MESSAGES).map((message) => ({ field: 'form', message }));
    return this.questionErrors.length === 0;
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
    const question = this.question;
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
