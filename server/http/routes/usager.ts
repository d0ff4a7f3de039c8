import type { Usager } from '../../domain/index.ts';
import type { UsagerInput } from '../schemas.ts';

/** The usager of a form (public or agent), with absent fields as nulls and the email in lower case. */
export function toUsager(u: UsagerInput): Usager {
  return {
    type: u.type,
    civilite: u.civilite,
    nomUsage: u.nomUsage,
    nomNaissance: u.nomNaissance ?? null,
    prenoms: u.prenoms,
    dateNaissance: u.dateNaissance ?? null,
    numeroFiscal: u.numeroFiscal ?? null,
    siren: u.siren ?? null,
    raisonSociale: u.raisonSociale ?? null,
    telephones: u.telephones,
    rappel: u.rappel ?? [],
    email: u.email?.toLowerCase() ?? null,
  };
}
