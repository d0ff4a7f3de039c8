import {
  type AgendaRdv,
  type Api,
  ApiError,
  type RdvAgentRequest,
  type RdvType,
  type UsagerVu,
  type Warning,
} from '#lib/api/client.ts';
import { zonedInstant } from '#lib/format.ts';
import { addMinutes, type FieldError, type Outcome, outcomeOfError } from './submission.ts';

/** "Créer un RDV": what the agent types, kept as typed whatever the server answers. */
export type RdvFields = {
  guichetId: string;
  motifId: string;
  type: '' | RdvType;
  usagerType: 'particulier' | 'professionnel';
  civilite: '' | 'M' | 'MME';
  nomUsage: string;
  nomNaissance: string;
  prenoms: string;
  dateNaissance: string;
  numeroFiscal: string;
  siren: string;
  raisonSociale: string;
  telephone1: string;
  telephone2: string;
  rappelMatin: boolean;
  rappelApresMidi: boolean;
  email: string;
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

const digits = (v: string) => v.replace(/[\s.]/g, '');

/** Maps an API error field ("usager.telephones.0", "start") to the form's field. */
export function rdvField(apiField: string): RdvField | 'form' {
  const f = apiField.replace(/^usager\./, '');
  if (f === 'start') return 'du';
  if (f === 'end') return 'a';
  if (f === 'telephones' || f === 'telephones.0') return 'telephone1';
  if (f === 'telephones.1') return 'telephone2';
  if (f === 'rappel' || f.startsWith('rappel.')) return 'rappelMatin';
  if (f === 'type' && apiField.startsWith('usager.')) return 'usagerType';
  const known: string[] = Object.keys(emptyFields());
  return known.includes(f) ? (f as RdvField) : 'form';
}

function emptyFields(): RdvFields {
  return {
    guichetId: '',
    motifId: '',
    type: '',
    usagerType: 'particulier',
    civilite: '',
    nomUsage: '',
    nomNaissance: '',
    prenoms: '',
    dateNaissance: '',
    numeroFiscal: '',
    siren: '',
    raisonSociale: '',
    telephone1: '',
    telephone2: '',
    rappelMatin: false,
    rappelApresMidi: false,
    email: '',
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
    const pro = f.usagerType === 'professionnel';
    if (pro) {
      need(
        'raisonSociale',
        !!f.raisonSociale.trim(),
        'La raison sociale est obligatoire pour un professionnel.',
      );
      need(
        'siren',
        /^\d{9}$/.test(digits(f.siren)),
        'Le SIREN est obligatoire pour un professionnel : 9 chiffres.',
      );
    } else if (f.numeroFiscal.trim()) {
      need('numeroFiscal', /^\d{13}$/.test(digits(f.numeroFiscal)), 'Le numéro fiscal comporte 13 chiffres.');
    }
    need('civilite', !!f.civilite, 'Indiquez la civilité (Monsieur ou Madame).');
    need('nomUsage', !!f.nomUsage.trim(), 'Le nom d’usage est obligatoire.');
    need('prenoms', !!f.prenoms.trim(), 'Le ou les prénoms sont obligatoires.');
    need(
      'telephone1',
      !!(f.telephone1.trim() || f.telephone2.trim()),
      'Au moins un numéro de téléphone doit être saisi.',
    );
    if (f.email.trim())
      need(
        'email',
        /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim()),
        'Adresse électronique invalide (exemple : nom@domaine.fr).',
      );
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
    const pro = this.fields.usagerType === 'professionnel';
    const id = digits(pro ? this.fields.siren : this.fields.numeroFiscal);
    const field: RdvField = pro ? 'siren' : 'numeroFiscal';
    this.errors = this.errors.filter((e) => e.field !== field);
    if (!(pro ? /^\d{9}$/.test(id) : /^\d{13}$/.test(id))) {
      this.searchResult = {
        found: false,
        message: pro ? 'Saisissez un SIREN de 9 chiffres.' : 'Saisissez un numéro fiscal de 13 chiffres.',
      };
      return;
    }
    this.searching = true;
    try {
      const u = await this.#api.findUsager(pro ? { siren: id } : { numeroFiscal: id });
      this.#fill(u);
      this.searchResult = {
        found: true,
        message: `Usager trouvé : ${u.nomUsage} ${u.prenoms}. Vérifiez ses informations.`,
      };
    } catch (err) {
      this.searchResult = {
        found: false,
        message:
          err instanceof ApiError && err.problem?.detail
            ? err.problem.detail
            : 'La recherche n’a pas abouti. Saisissez les informations manuellement.',
      };
    } finally {
      this.searching = false;
    }
  }

  #fill(u: UsagerVu) {
    const f = this.fields;
    this.fields = {
      ...f,
      civilite: u.civilite,
      nomUsage: u.nomUsage,
      nomNaissance: u.nomNaissance ?? '',
      prenoms: u.prenoms,
      dateNaissance: u.dateNaissance ?? '',
      numeroFiscal: u.numeroFiscal ?? f.numeroFiscal,
      siren: u.siren ?? f.siren,
      raisonSociale: u.raisonSociale ?? '',
      telephone1: u.telephones[0] ?? '',
      telephone2: u.telephones[1] ?? '',
      rappelMatin: u.rappel.includes('matin'),
      rappelApresMidi: u.rappel.includes('apres-midi'),
      email: u.email ?? '',
    };
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
    const trim = (v: string) => v.trim() || undefined;
    const pro = f.usagerType === 'professionnel';
    const rappel: ('matin' | 'apres-midi')[] = [];
    if (f.rappelMatin) rappel.push('matin');
    if (f.rappelApresMidi) rappel.push('apres-midi');
    return {
      guichetId: Number(f.guichetId),
      motifId: Number(f.motifId),
      type: f.type as RdvType,
      start: zonedInstant(f.date, f.du, this.timeZone),
      end: zonedInstant(f.date, f.a, this.timeZone),
      usager: {
        type: f.usagerType,
        civilite: f.civilite as 'M' | 'MME',
        nomUsage: f.nomUsage.trim(),
        nomNaissance: trim(f.nomNaissance),
        prenoms: f.prenoms.trim(),
        dateNaissance: trim(f.dateNaissance),
        numeroFiscal: pro ? undefined : trim(digits(f.numeroFiscal)),
        siren: pro ? trim(digits(f.siren)) : undefined,
        raisonSociale: pro ? trim(f.raisonSociale) : undefined,
        telephones: [f.telephone1, f.telephone2].map((t) => t.trim()).filter(Boolean),
        rappel: rappel.length > 0 ? rappel : undefined,
        email: trim(f.email),
      },
      precisions: f.precisions.trim(),
      acknowledge,
    };
  }
}
