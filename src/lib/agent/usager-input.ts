import { type Api, ApiError, type UsagerInput, type UsagerVu } from '#lib/api/client.ts';
import type { FieldError } from './submission.ts';

/** "L'utilisateur" as an agent types it: in "Créer un RDV" and in the parcours simplifié. */
export type UsagerFieldValues = {
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
};

export type UsagerField = keyof UsagerFieldValues;

export function emptyUsager(): UsagerFieldValues {
  return {
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
  };
}

export const digits = (v: string) => v.replace(/[\s.]/g, '');

/** The server's rules on the usager, said before sending, in the order of the form. */
export function usagerErrors(f: UsagerFieldValues): FieldError<UsagerField>[] {
  const e: FieldError<UsagerField>[] = [];
  const need = (field: UsagerField, ok: boolean, message: string) => {
    if (!ok) e.push({ field, message });
  };
  if (f.usagerType === 'professionnel') {
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
  return e;
}

/** The usager of the API's request (fields already valid). */
export function usagerInput(f: UsagerFieldValues): UsagerInput {
  const trim = (v: string) => v.trim() || undefined;
  const pro = f.usagerType === 'professionnel';
  const rappel: ('matin' | 'apres-midi')[] = [];
  if (f.rappelMatin) rappel.push('matin');
  if (f.rappelApresMidi) rappel.push('apres-midi');
  return {
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
  };
}

/** Maps an API error field ("usager.telephones.0") to the usager's field, or null. */
export function usagerField(apiField: string): UsagerField | null {
  const f = apiField.replace(/^usager\./, '');
  if (f === 'telephones' || f === 'telephones.0') return 'telephone1';
  if (f === 'telephones.1') return 'telephone2';
  if (f === 'rappel' || f.startsWith('rappel.')) return 'rappelMatin';
  if (f === 'type' && apiField.startsWith('usager.')) return 'usagerType';
  return (Object.keys(emptyUsager()) as string[]).includes(f) ? (f as UsagerField) : null;
}

/** The fields a known usager fills (what was typed of his identifier is kept when he has none). */
export function fieldsOfUsager(u: UsagerVu, f: UsagerFieldValues): Partial<UsagerFieldValues> {
  return {
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

export type UsagerSearchResult = { found: boolean; message: string };

/**
 * "Rechercher l'utilisateur par son identifiant" among the usagers known in the agent's zone: what
 * to say next to the button, and the fields to fill when found.
 */
export async function findKnownUsager(
  api: Pick<Api, 'findUsager'>,
  f: UsagerFieldValues,
): Promise<{ found: UsagerSearchResult; fill?: Partial<UsagerFieldValues> }> {
  const pro = f.usagerType === 'professionnel';
  const id = digits(pro ? f.siren : f.numeroFiscal);
  if (!(pro ? /^\d{9}$/.test(id) : /^\d{13}$/.test(id))) {
    return {
      found: {
        found: false,
        message: pro ? 'Saisissez un SIREN de 9 chiffres.' : 'Saisissez un numéro fiscal de 13 chiffres.',
      },
    };
  }
  try {
    const u = await api.findUsager(pro ? { siren: id } : { numeroFiscal: id });
    return {
      found: {
        found: true,
        message: `Usager trouvé : ${u.nomUsage} ${u.prenoms}. Vérifiez ses informations.`,
      },
      fill: fieldsOfUsager(u, f),
    };
  } catch (err) {
    return {
      found: {
        found: false,
        message:
          err instanceof ApiError && err.problem?.detail
            ? err.problem.detail
            : 'La recherche n’a pas abouti. Saisissez les informations manuellement.',
      },
    };
  }
}

/** What the "L'utilisateur" fields need of a form: "Créer un RDV" and the parcours simplifié. */
export interface UsagerForm {
  fields: UsagerFieldValues;
  errorOf(field: UsagerField): string | undefined;
  search(): Promise<void>;
  searching: boolean;
  searchResult: UsagerSearchResult | null;
}
