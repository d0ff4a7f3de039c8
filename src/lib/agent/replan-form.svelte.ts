import type { AgendaRdv, Api, FicheRdv, RdvType, Warning } from '#lib/api/client.ts';
import { zonedInstant } from '#lib/format.ts';
import type { AgendaFrame } from './agenda.svelte.ts';
import { type FieldError, type Outcome, outcomeOfError } from './submission.ts';

export type ReplanField = 'guichetId' | 'motifId' | 'type' | 'date' | 'du' | 'a';

/**
 * The motifs an rdv may be replanned on: its initial motif, or those of the open guichets that
 * agents of the service may book.
 */
export function replanMotifIds(frame: AgendaFrame, fiche: Pick<FicheRdv, 'motif'>): number[] {
  const open = frame.guichets.filter((g) => g.open && g.bookableBy.includes('agentService'));
  return [...new Set([fiche.motif.id, ...open.flatMap((g) => g.motifIds)])];
}

/** "Replanifier": motif, date, heure, type (and guichet), warnings confirmed as for a new rdv. */
export class ReplanFormState {
  readonly #api: Pick<Api, 'replan'>;
  readonly rdvId: number;
  readonly timeZone: string;

  fields = $state<Record<Exclude<ReplanField, 'type'>, string> & { type: '' | RdvType }>({
    guichetId: '',
    motifId: '',
    type: '',
    date: '',
    du: '',
    a: '',
  });
  errors = $state<FieldError<ReplanField>[]>([]);
  warnings = $state<Warning[]>([]);
  submitting = $state(false);

  constructor(api: Pick<Api, 'replan'>, fiche: FicheRdv) {
    this.#api = api;
    this.rdvId = fiche.id;
    this.timeZone = fiche.service.timeZone;
    this.fields = {
      guichetId: String(fiche.guichet.id),
      motifId: String(fiche.motif.id),
      type: fiche.type,
      date: fiche.start.slice(0, 10),
      du: fiche.start.slice(11, 16),
      a: fiche.end.slice(11, 16),
    };
  }

  errorOf(field: ReplanField): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }

  validate(): FieldError<ReplanField>[] {
    const f = this.fields;
    const e: FieldError<ReplanField>[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date)) e.push({ field: 'date', message: 'Indiquez la date du RDV.' });
    if (!/^\d{2}:\d{2}$/.test(f.du)) e.push({ field: 'du', message: 'Indiquez l’heure de début (HH:MM).' });
    if (!/^\d{2}:\d{2}$/.test(f.a)) e.push({ field: 'a', message: 'Indiquez l’heure de fin (HH:MM).' });
    else if (f.a <= f.du)
      e.push({
        field: 'a',
        message: 'L’heure de fin doit être postérieure à l’heure de début du rendez-vous.',
      });
    return e;
  }

  async submit(acknowledge: string[] = []): Promise<Outcome<AgendaRdv, ReplanField>> {
    const errors = this.validate();
    this.errors = errors;
    if (errors.length > 0) return { kind: 'errors', errors };
    const f = this.fields;
    this.submitting = true;
    try {
      const rdv = await this.#api.replan(this.rdvId, {
        start: zonedInstant(f.date, f.du, this.timeZone),
        end: zonedInstant(f.date, f.a, this.timeZone),
        guichetId: Number(f.guichetId),
        motifId: Number(f.motifId),
        type: f.type || undefined,
        acknowledge,
      });
      this.warnings = [];
      return { kind: 'done', value: rdv };
    } catch (err) {
      const outcome = outcomeOfError<AgendaRdv, ReplanField>(err, (field) =>
        field === 'start'
          ? 'du'
          : field === 'end'
            ? 'a'
            : (['guichetId', 'motifId', 'type'] as string[]).includes(field)
              ? (field as ReplanField)
              : 'form',
      );
      this.warnings = outcome.kind === 'warnings' ? outcome.warnings : [];
      this.errors = outcome.kind === 'errors' ? outcome.errors : [];
      return outcome;
    } finally {
      this.submitting = false;
    }
  }
}
