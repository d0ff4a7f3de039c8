import type { AgendaRdv, Api, RdvAgentRequest, RdvType, Warning } from '#lib/api/client.ts';
import { zonedInstant } from '#lib/format.ts';
import { addMinutes, type FieldError, type Outcome, outcomeOfError } from './submission.ts';
import {
  emptyUsager,
  findKnownUsager,
  type UsagerFieldValues,
  usagerErrors,
  usagerField,
  usagerInput,
} from './usager-input.ts';

/** "Créer un RDV": what the agent types, kept as typed whatever the server answers. */
export type RdvFields = UsagerFieldValues & {
  guichetId: string;
  motifId: string;
  type: '' | RdvType;
  date: string;
  du: string;
  a: string;
  precisions: string;
};

export type RdvField = keyof RdvFields;

/** The address of the form, prefilled from a clicked zone ("2026-12-08T09:20:00") or a day. */
export function newRdvHref(
  code: string,
  prefill: { guichetId?: number; start?: string; date?: string },
  durationMinutes = 20,
): string {
  const q = new URLSearchParams();
  if (prefill.guichetId) q.set('guichet', String(prefill.guichetId));
  const date = prefill.start?.slice(0, 10) ?? prefill.date;
  if (date) q.set('date', date);
  if (prefill.start) {
    const du = prefill.start.slice(11, 16);
    q.set('du', du);
    q.set('a', addMinutes(du, durationMinutes));
  }
  const query = q.toString();
  return `/agent/services/${code}/rdvs/nouveau${query ? `?${query}` : ''}`;
}

/** Maps an API error field ("usager.telephones.0", "start") to the form's field. */
export function rdvField(apiField: string): RdvField | 'form' {
  const f = apiField.replace(/^usager\./, '');
  if (f === 'start') return 'du';
  if (f === 'end') return 'a';
  const usager = usagerField(apiField);
  if (usager) return usager;
  const known: string[] = Object.keys(emptyFields());
  return known.includes(f) ? (f as RdvField) : 'form';
}

function emptyFields(): RdvFields {
  return {
    ...emptyUsager(),
    guichetId: '',
    motifId: '',
    type: '',
    date: '',
    du: '',
    a: '',
    precisions: '',
  };
}

/**
 * The state of "Créer un RDV": fields, validation (the server's rules, said before sending), the
 * search of a known usager, and the submission. Hard errors block; warnings are listed and the
 * agent may confirm them, which sends the same rdv again with their codes acknowledged.
 */
export class RdvFormState {
  readonly #api: Pick<Api, 'createRdv' | 'findUsager'>;
  readonly serviceCode: string;
  readonly timeZone: string;

  fields = $state<RdvFields>(emptyFields());
  errors = $state<FieldError<RdvField>[]>([]);
  warnings = $state<Warning[]>([]);
  submitting = $state(false);
  searching = $state(false);
  /** What the search of a known usager found (or not), said next to its button. */
  searchResult = $state<{ found: boolean; message: string } | null>(null);

  constructor(
    api: Pick<Api, 'createRdv' | 'findUsager'>,
    serviceCode: string,
    timeZone: string,
    prefill: Partial<RdvFields>,
  ) {
    this.#api = api;
    this.serviceCode = serviceCode;
    this.timeZone = timeZone;
    this.fields = { ...emptyFields(), ...prefill };
  }

  errorOf(field: RdvField): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }

  validate(): FieldError<RdvField>[] {
    const f = this.fields;
    const e: FieldError<RdvField>[] = [];
    const need = (field: RdvField, ok: boolean, message: string) => {
      if (!ok) e.push({ field, message });
    };
    need('guichetId', !!f.guichetId, 'Choisissez le guichet.');
    need('motifId', !!f.motifId, 'Choisissez le motif du RDV.');
    need('type', !!f.type, 'Choisissez le type de RDV : téléphone ou guichet.');
    e.push(...usagerErrors(f));
    need('date', /^\d{4}-\d{2}-\d{2}$/.test(f.date), 'Indiquez la date du RDV.');
    need('du', /^\d{2}:\d{2}$/.test(f.du), 'Indiquez l’heure de début (HH:MM).');
    need('a', /^\d{2}:\d{2}$/.test(f.a), 'Indiquez l’heure de fin (HH:MM).');
    if (/^\d{2}:\d{2}$/.test(f.du) && /^\d{2}:\d{2}$/.test(f.a) && f.a <= f.du)
      e.push({
        field: 'a',
        message: 'L’heure de fin doit être postérieure à l’heure de début du rendez-vous.',
      });
    need('precisions', !!f.precisions.trim(), 'Précisez l’objet du RDV.');
    return e;
  }

  /** "Rechercher l'utilisateur par son identifiant": fills the fields from a known usager. */
  async search(): Promise<void> {
    const field: RdvField = this.fields.usagerType === 'professionnel' ? 'siren' : 'numeroFiscal';
    this.errors = this.errors.filter((e) => e.field !== field);
    this.searching = true;
    try {
      const { found, fill } = await findKnownUsager(this.#api, this.fields);
      if (fill) this.fields = { ...this.fields, ...fill };
      this.searchResult = found;
    } finally {
      this.searching = false;
    }
  }

  /** Sends the rdv; `acknowledge` carries the warnings the agent confirmed. */
  async submit(acknowledge: string[] = []): Promise<Outcome<AgendaRdv, RdvField>> {
    const errors = this.validate();
    this.errors = errors;
    if (errors.length > 0) {
      this.warnings = [];
      return { kind: 'errors', errors };
    }
    this.submitting = true;
    try {
      const rdv = await this.#api.createRdv(this.serviceCode, this.#request(acknowledge));
      this.warnings = [];
      return { kind: 'done', value: rdv };
    } catch (err) {
      const outcome = outcomeOfError<AgendaRdv, RdvField>(err, rdvField);
      this.warnings = outcome.kind === 'warnings' ? outcome.warnings : [];
      this.errors = outcome.kind === 'errors' ? outcome.errors : [];
      return outcome;
    } finally {
      this.submitting = false;
    }
  }

  #request(acknowledge: string[]): RdvAgentRequest {
    const f = this.fields;
    return {
      guichetId: Number(f.guichetId),
      motifId: Number(f.motifId),
      type: f.type as RdvType,
      start: zonedInstant(f.date, f.du, this.timeZone),
      end: zonedInstant(f.date, f.a, this.timeZone),
      usager: usagerInput(f),
      precisions: f.precisions.trim(),
      acknowledge,
    };
  }
}
