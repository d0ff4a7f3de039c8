import type { FicheRdv } from '#lib/api/client.ts';

/** The French words of the history of an rdv (audit actions). */
export const HISTORY_ACTIONS: Record<string, string> = {
  'rdv.cree': 'Rendez-vous pris',
  'rdv.arrive': 'Usager arrivé',
  'rdv.non-arrive': 'Usager non arrivé',
  'rdv.contre-appel': 'Contre-appel enregistré',
  'rdv.replanifie': 'Rendez-vous replanifié',
  'rdv.annule': 'Rendez-vous annulé',
  'rdv.acces-exterieur': 'Consulté par un agent extérieur au service (code et nom)',
};

export const CANAUX: Record<FicheRdv['canal'], string> = {
  internet: 'par l’usager, sur internet',
  agentExterieur: 'par un agent extérieur au service',
  agentService: 'par un agent du service',
};

export const typeLabel = (type: FicheRdv['type']) =>
  type === 'telephone' ? 'RDV téléphonique' : 'RDV guichet physique';

/** "Arrivé / Non arrivé" cannot be changed today: why, in the agent's words. */
export function arrivalNote(fiche: Pick<FicheRdv, 'arrival'>): string | null {
  if (fiche.arrival === 'tooEarly') return 'L’arrivée ne pourra être annotée que le jour du rendez-vous.';
  if (fiche.arrival === 'frozen')
    return 'Le jour du rendez-vous est passé : l’arrivée ne peut plus être modifiée.';
  return null;
}
