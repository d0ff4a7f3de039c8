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
