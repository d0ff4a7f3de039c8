import { error } from '@sveltejs/kit';
import type { AgentMe } from '#lib/api/client.ts';

/**
 * Agenda pages are for agents rattachés to the service: a first answer in the page, in French,
 * before any call (the API refuses the others too, and it is the one that decides).
 */
export function requireRattache(me: AgentMe, code: string): void {
  if (me.profile === 'administrateur' || me.services.includes(code)) return;
  error(403, {
    message: 'Accès refusé',
    detail: `Le service ${code} n’est pas dans votre zone de compétence : seuls les agents qui y sont rattachés consultent son agenda et y prennent des rendez-vous.`,
  });
}

/**
 * "Configurer le service" is the chef's of the service, or an administrateur's (reference
 * annexe 4): the same first answer in the page; the API refuses a chef of another service too.
 */
export function requireChef(me: AgentMe, code: string): void {
  if (me.profile === 'administrateur') return;
  requireRattache(me, code);
  if (me.profile !== 'chef')
    error(403, {
      message: 'Accès refusé',
      detail:
        'La configuration du service est réservée au chef de service (ou à un administrateur) : votre habilitation permet d’utiliser l’agenda, pas de modifier l’offre de rendez-vous.',
    });
}
