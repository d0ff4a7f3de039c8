import { type Api, ApiError, type Audience, type Rdv, type RdvRequest } from '#lib/api/client.ts';

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

/** How a submission ended, for the wizard to move on. */
export type Submission =
  | { kind: 'booked'; rdv: Rdv }
  /** The slot is no longer ours: taken by someone else (409) or the hold's delay is over (410). */
  | { kind: 'slot-lost'; expired: boolean }
  | { kind: 'not-sent' };

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

const form = (message: string): FieldError[] => [{ field: 'form', message }];

/**
 * "Vos coordonnées": the fields, their validation (the server's rules, said before sending), the
 * captcha, and the submission with its idempotency key — one key per submission, sent again when
 * the same submission is retried, so that a lost answer never books twice.
 */
export class ContactFormState {
  readonly #api: Api;
  readonly audience: Audience;

  fields = $state<ContactFields>(emptyFields());
  captcha = $state<string | null>(null);
  errors = $state<FieldError[]>([]);
  submitting = $state(false);
  /** Incremented when the captcha must be solved again (the widget resets). */
  captchaGeneration = $state(0);
  #idempotencyKey: string | null = null;

  constructor(api: Api, audience: Audience) {
    this.#api = api;
    this.audience = audience;
  }

  validate(): FieldError[] {
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

  resetCaptcha() {
    this.captcha = null;
    this.captchaGeneration++;
  }

  /** Sends the form to book the slot held as `holdId` (null when the hold is gone). */
  async submit(holdId: string | null): Promise<Submission> {
    if (this.submitting) return { kind: 'not-sent' };
    const errors = this.validate();
    if (!holdId) {
      errors.unshift(...form('Le créneau n’est plus réservé pour vous : choisissez de nouveau un créneau.'));
    }
    this.errors = errors;
    if (errors.length > 0 || !holdId || !this.captcha) return { kind: 'not-sent' };

    // One key per submission, kept if it has to be sent again (network loss, 429, 5xx).
    this.#idempotencyKey ??= crypto.randomUUID();
    this.submitting = true;
    try {
      const rdv = await this.#api.book(this.#request(holdId, this.captcha), this.#idempotencyKey);
      this.#idempotencyKey = null;
      return { kind: 'booked', rdv };
    } catch (err) {
      return this.#onError(err);
    } finally {
      this.submitting = false;
    }
  }

  #request(holdId: string, captcha: string): RdvRequest {
    const f = this.fields;
    const trim = (v: string) => v.trim() || undefined;
    const pro = this.audience === 'professionnel';
    const rappel: ('matin' | 'apres-midi')[] = [];
    if (f.rappelMatin) rappel.push('matin');
    if (f.rappelApresMidi) rappel.push('apres-midi');
    return {
      holdId,
      usager: {
        type: this.audience,
        civilite: f.civilite as 'M' | 'MME',
        nomUsage: f.nomUsage.trim(),
        nomNaissance: trim(f.nomNaissance),
        prenoms: f.prenoms.trim(),
        dateNaissance: trim(f.dateNaissance),
        numeroFiscal: trim(f.numeroFiscal),
        siren: pro ? trim(f.siren) : undefined,
        raisonSociale: pro ? trim(f.raisonSociale) : undefined,
        telephones: [f.telephone1, f.telephone2].map((t) => t.trim()).filter(Boolean),
        rappel: rappel.length > 0 ? rappel : undefined,
        email: trim(f.email),
      },
      precisions: f.precisions.trim(),
      captcha,
    };
  }

  #onError(err: unknown): Submission {
    const notSent = { kind: 'not-sent' } as const;
    if (!(err instanceof ApiError)) {
      // Network loss: the same key will be sent again, the server answers once.
      this.errors = form('La demande n’a pas pu être envoyée. Vérifiez votre connexion puis réessayez.');
      return notSent;
    }
    if (err.status === 429) {
      this.errors = form(
        `Trop de demandes en peu de temps : réessayez dans ${err.retryAfter ?? 60} secondes.`,
      );
      return notSent;
    }
    if (err.status >= 500) {
      this.errors = form('Le service rencontre un problème. Réessayez dans quelques instants.');
      return notSent;
    }
    this.#idempotencyKey = null; // a definitive answer: the next submission is a new one
    if (err.status === 422 && err.problem?.errors?.length) {
      // A refused captcha comes back this way too, as an error on the field `captcha`.
      this.errors = err.problem.errors.map((e) => ({ field: formField(e.field), message: e.message }));
      if (this.errors.some((e) => e.field === 'captcha')) this.resetCaptcha();
      return notSent;
    }
    if (err.status === 409 || err.status === 410) {
      this.errors = form(
        err.status === 409
          ? 'Ce créneau vient d’être pris par une autre personne. Choisissez un autre créneau : vos informations sont conservées.'
          : 'Le délai de réservation du créneau est dépassé. Choisissez de nouveau un créneau : vos informations sont conservées.',
      );
      return { kind: 'slot-lost', expired: err.status === 410 };
    }
    this.errors = form(err.message);
    return notSent;
  }
}
