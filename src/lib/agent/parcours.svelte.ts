import type { AgendaRdv, Api } from '#lib/api/client.ts';
import { BookingQuestion, type QuestionGap } from '#lib/booking/question.svelte.ts';
import { SlotsState } from '#lib/booking/slots.svelte.ts';
import { type ParcoursField, type ParcoursOutcome, parcoursOutcomeOfError } from './parcours.ts';
import type { ParcoursApi, ParcoursMotif, ParcoursOffer } from './parcours-api.ts';
import type { FieldError } from './submission.ts';
import {
  emptyUsager,
  findKnownUsager,
  type UsagerField,
  type UsagerFieldValues,
  type UsagerForm,
  type UsagerSearchResult,
  usagerErrors,
  usagerInput,
} from './usager-input.ts';

export type ParcoursStep = 'motif' | 'creneau' | 'usager' | 'confirmation';

/** The window's days from today: 60 for agents of the service, up to ~35 for agents extérieurs. */
const LOOKAHEAD_DAYS = 62;

/** The question's missing answers, as the agent is told them. */
const GAP_MESSAGES: Record<QuestionGap, string> = {
  motif: 'Choisissez le motif du rendez-vous.',
  'sous-motif': 'Précisez le motif du rendez-vous.',
  type: 'Choisissez le type de rendez-vous : au guichet ou par téléphone.',
};

/**
 * The state of the parcours simplifié on one service: the motif and type, then the free slots the
 * API offers this agent (followed live, as the citizen's calendar), then the usager, then the
 * confirmation. No hold (the agent has the usager on the line), no forcing: a slot taken meanwhile
 * is a 409, the slots are read again and the agent chooses another.
 */
export class ParcoursState extends BookingQuestion<ParcoursMotif> implements UsagerForm {
  readonly #api: Pick<ParcoursApi, 'book' | 'slots'>;
  readonly #findUsager: Pick<Api, 'findUsager'>;
  readonly offer: ParcoursOffer;
  readonly timeZone: string;
  readonly slots: SlotsState;

  step = $state<ParcoursStep>('motif');
  questionErrors = $state<string[]>([]);
  chosen = $state<{ start: string; end: string } | null>(null);
  fields = $state<UsagerFieldValues>(emptyUsager());
  precisions = $state('');
  errors = $state<FieldError<ParcoursField>[]>([]);
  submitting = $state(false);
  searching = $state(false);
  searchResult = $state<UsagerSearchResult | null>(null);
  /** Why the agent is back at the slots (the one chosen was taken). */
  notice = $state<string | null>(null);
  rdv = $state<AgendaRdv | null>(null);

  constructor(
    api: Pick<ParcoursApi, 'book' | 'slots'>,
    findUsager: Pick<Api, 'findUsager'>,
    offer: ParcoursOffer,
  ) {
    super(offer.motifs, offer.types);
    this.#api = api;
    this.#findUsager = findUsager;
    this.offer = offer;
    this.timeZone = offer.service.timeZone;
    this.slots = new SlotsState({
      api: { slots: (code, query) => this.#api.slots(code, query) },
      serviceCode: offer.service.code,
      timeZone: this.timeZone,
      question: () => this.question,
      heldStart: () => undefined,
      announce: (m) => this.announce(m),
      lookaheadDays: LOOKAHEAD_DAYS,
    });
  }

  errorOf(field: ParcoursField | 'form'): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }

  validateQuestion(): boolean {
    this.questionErrors = this.gapMessages(GAP_MESSAGES);
    return this.questionErrors.length === 0;
  }

  /** "Rechercher un créneau disponible": the offered slots, followed live. */
  async searchSlots(): Promise<boolean> {
    if (!this.validateQuestion()) return false;
    this.step = 'creneau';
    this.chosen = null;
    this.notice = null;
    this.slots.reset();
    await this.slots.start();
    return true;
  }

  backToQuestion() {
    this.slots.stop();
    this.chosen = null;
    this.step = 'motif';
  }

  chooseSlot(slot: { start: string; end: string }) {
    this.chosen = slot;
    this.notice = null;
    this.step = 'usager';
  }

  changeSlot() {
    this.chosen = null;
    this.step = 'creneau';
  }

  /** "Rechercher l'utilisateur par son identifiant" (usagers known in the agent's zone). */
  async search(): Promise<void> {
    const field: UsagerField = this.fields.usagerType === 'professionnel' ? 'siren' : 'numeroFiscal';
    this.errors = this.errors.filter((e) => e.field !== field);
    this.searching = true;
    try {
      const { found, fill } = await findKnownUsager(this.#findUsager, this.fields);
      if (fill) this.fields = { ...this.fields, ...fill };
      this.searchResult = found;
    } finally {
      this.searching = false;
    }
  }

  validate(): FieldError<ParcoursField>[] {
    const errors: FieldError<ParcoursField>[] = usagerErrors(this.fields);
    if (!this.precisions.trim())
      errors.push({ field: 'precisions', message: 'Précisez l’objet du rendez-vous.' });
    return errors;
  }

  /** "Valider le RDV": books the chosen slot; a taken slot sends the agent back to the slots. */
  async submit(): Promise<ParcoursOutcome<AgendaRdv>> {
    const errors = this.validate();
    this.errors = errors;
    const question = this.question;
    if (errors.length > 0 || !question || !this.chosen) return { kind: 'errors', errors };
    this.submitting = true;
    try {
      const rdv = await this.#api.book(this.offer.service.code, {
        motifId: question.motif,
        type: question.type,
        start: this.chosen.start,
        usager: usagerInput(this.fields),
        precisions: this.precisions.trim(),
      });
      this.rdv = rdv;
      this.slots.stop();
      this.step = 'confirmation';
      return { kind: 'done', value: rdv };
    } catch (err) {
      const outcome = parcoursOutcomeOfError<AgendaRdv>(err);
      if (outcome.kind === 'slot-lost') {
        this.notice = outcome.message;
        this.chosen = null;
        this.step = 'creneau';
        await this.slots.fetch();
      } else if (outcome.kind === 'errors') this.errors = outcome.errors;
      return outcome;
    } finally {
      this.submitting = false;
    }
  }

  /** "Prendre un autre RDV": the same service, everything typed cleared. */
  restart() {
    this.slots.stop();
    this.slots.reset();
    this.step = 'motif';
    this.chosen = null;
    this.fields = emptyUsager();
    this.precisions = '';
    this.errors = [];
    this.searchResult = null;
    this.notice = null;
    this.rdv = null;
  }

  destroy() {
    this.slots.stop();
  }
}
