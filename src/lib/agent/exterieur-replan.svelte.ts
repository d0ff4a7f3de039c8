import type { AgendaRdv, Api, FicheRdv, RdvType } from '#lib/api/client.ts';
import type { ParcoursApi, ParcoursOffer } from './parcours-api.ts';
import { type FieldError, type Outcome, outcomeOfError } from './submission.ts';

export type ExterieurReplanField = 'motifId' | 'type' | 'date' | 'start';
type ReplanMotif = { id: number; label: string; group?: string };
type Day = { date: string; slots: { start: string; end: string }[] };

/**
 * The motifs an agent extérieur may move an rdv to (the reference's summary table): its initial
 * motif, and those of the guichets open and bookable by agents extérieurs — which the parcours
 * simplifié's offer lists. Parents with sub-motifs are offered through their children.
 */
export function exterieurMotifs(offer: ParcoursOffer, fiche: Pick<FicheRdv, 'motif'>): ReplanMotif[] {
  const offered = offer.motifs.flatMap((m): ReplanMotif[] =>
    m.children.length
      ? m.children.map((c) => ({ id: c.id, label: c.label, group: m.label }))
      : [{ id: m.id, label: m.label }],
  );
  return offered.some((m) => m.id === fiche.motif.id)
    ? offered
    : [{ id: fiche.motif.id, label: `${fiche.motif.label} (motif initial)` }, ...offered];
}

/**
 * "Replanifier" for an agent extérieur who reached another office's rdv by its code and the
 * usager's name: as in the parcours simplifié, only the slots that office offers to agents
 * extérieurs, in their window, the service's duration, nothing forced. The access token rides
 * along, as on the fiche.
 */
export class ExterieurReplanState {
  readonly #parcours: Pick<ParcoursApi, 'slots'>;
  readonly #api: Pick<Api, 'replan'>;
  readonly #fiche: FicheRdv;
  readonly #acces: string;
  readonly offer: ParcoursOffer;

  motifId = $state(0);
  type = $state<RdvType>('physique');
  days = $state<Day[]>([]);
  date = $state('');
  start = $state('');
  loading = $state(false);
  /** Why no slot is shown, when none is (said in a live region). */
  loadFailure = $state<string | null>(null);
  errors = $state<FieldError<ExterieurReplanField>[]>([]);
  submitting = $state(false);
  #asked = 0;

  constructor(
    api: Pick<Api, 'replan'>,
    parcours: Pick<ParcoursApi, 'slots'>,
    offer: ParcoursOffer,
    fiche: FicheRdv,
    acces: string,
  ) {
    this.#api = api;
    this.#parcours = parcours;
    this.#fiche = fiche;
    this.#acces = acces;
    this.offer = offer;
    this.motifId = fiche.motif.id;
    this.type = offer.types.includes(fiche.type) ? fiche.type : (offer.types[0] ?? fiche.type);
  }

  get slots(): Day['slots'] {
    return this.days.find((d) => d.date === this.date)?.slots ?? [];
  }

  /** The free slots of the window for the chosen motif and type; a later ask wins over an earlier. */
  async load(): Promise<void> {
    const asked = ++this.#asked;
    this.loading = true;
    this.loadFailure = null;
    try {
      const { days } = await this.#parcours.slots(this.offer.service.code, {
        motif: this.motifId,
        type: this.type,
        from: this.offer.window.from,
        to: this.offer.window.to,
      });
      if (asked !== this.#asked) return;
      this.days = days.filter((d) => d.slots.length > 0);
      if (!this.days.some((d) => d.date === this.date)) this.date = this.days[0]?.date ?? '';
      if (!this.slots.some((s) => s.start === this.start)) this.start = '';
    } catch {
      if (asked !== this.#asked) return;
      this.days = [];
      this.loadFailure = 'Les créneaux n’ont pas pu être chargés. Vérifiez votre connexion puis réessayez.';
    } finally {
      if (asked === this.#asked) this.loading = false;
    }
  }

  async submit(): Promise<Outcome<AgendaRdv, ExterieurReplanField>> {
    const errors: FieldError<ExterieurReplanField>[] = [];
    if (!this.date) errors.push({ field: 'date', message: 'Choisissez une date parmi les jours proposés.' });
    else if (!this.start) errors.push({ field: 'start', message: 'Choisissez un horaire.' });
    this.errors = errors;
    if (errors.length > 0) return { kind: 'errors', errors };
    this.submitting = true;
    try {
      const rdv = await this.#api.replan(
        this.#fiche.id,
        { start: this.start, motifId: this.motifId, type: this.type, acknowledge: [] },
        this.#acces,
      );
      return { kind: 'done', value: rdv };
    } catch (err) {
      const outcome = outcomeOfError<AgendaRdv, ExterieurReplanField>(err, (field) =>
        field === 'motifId' || field === 'type' ? field : field === 'start' ? 'start' : 'form',
      );
      // Nothing is ever forced outside the zone: a warning is an error here.
      const failed: Outcome<AgendaRdv, ExterieurReplanField> =
        outcome.kind === 'warnings'
          ? { kind: 'errors', errors: outcome.warnings.map((w) => ({ field: 'form', message: w.message })) }
          : outcome;
      this.errors = failed.kind === 'errors' ? failed.errors : [];
      // Taken meanwhile, or no longer offered: the slots as they are now.
      void this.load();
      return failed;
    } finally {
      this.submitting = false;
    }
  }
}
