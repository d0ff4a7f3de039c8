import { findAgentService, findAgentServiceByCodique } from '../store/agenda.ts';
import { type DashboardService, dashboardEntry } from './agenda.ts';
import type { SignedInAgent } from './auth.ts';
import { getNationalServiceCard, type SearchKind, searchServices } from './contact.ts';
import type { Deps } from './deps.ts';

/*
 * "Rechercher les services" (reference §3.3): by address in France (only offices of fiscal
 * competence; SPL and amende trésoreries only by code), the DGE, the DRESG, or a SAGES (7 digits)
 * or CODIQUE (6 digits) code. Each result carries the actions open to this agent ("Prendre RDV"
 * only where the office lets agents extérieurs book).
 */

export type AgentServiceQuery =
  | { mode: 'adresse'; voie: string; postcode: string; city?: string | undefined; types: SearchKind }
  | { mode: 'dge'; siren: string }
  | { mode: 'dresg' }
  | { mode: 'code'; code: string };

export type ServiceSearchAnswer = {
  /** "Rappel des critères de recherche", in the reference's words. */
  criteria: string[];
  services: DashboardService[];
  message?: string;
};

const TYPE_LABELS: Record<SearchKind, string> = {
  TOUS: 'Tous',
  SIP: 'SIP',
  'SIP-CDIF': 'SIP ou CDIF',
  SIE: 'SIE',
  CDIF: 'CDIF',
  TRESORERIE: 'Trésorerie',
  DGE: 'DGE',
  DRESG: 'DRESG',
};

async function entries(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  codes: string[],
): Promise<DashboardService[]> {
  const out: DashboardService[] = [];
  for (const code of codes) {
    const s = await findAgentService(deps.sql, code);
    if (s) out.push(dashboardEntry(agent, s));
  }
  return out;
}

export async function searchAgentServices(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  q: AgentServiceQuery,
): Promise<ServiceSearchAnswer> {
  switch (q.mode) {
    case 'adresse': {
      const found = await searchServices(deps, {
        street: q.voie,
        postcode: q.postcode,
        city: q.city,
        kinds: [q.types],
      });
      const criteria = [
        `Voie : ${q.voie}`,
        ...(q.city ? [`Localité : ${q.city}`] : []),
        `Code postal : ${q.postcode}`,
        `Types de service : ${TYPE_LABELS[q.types]}`,
      ];
      const services = await entries(
        deps,
        agent,
        found.services.map((s) => s.code),
      );
      return found.message ? { criteria, services, message: found.message } : { criteria, services };
    }
    case 'dge': {
      const card = await getNationalServiceCard(deps, 'DGE');
      return {
        criteria: [`Professionnels gérés par la DGE — SIREN : ${q.siren}`],
        services: await entries(deps, agent, [card.code]),
      };
    }
    case 'dresg': {
      const card = await getNationalServiceCard(deps, 'DRESG');
      return {
        criteria: ['Services des résidents à l’étranger (DRESG)'],
        services: await entries(deps, agent, [card.code]),
      };
    }
    case 'code': {
      const sages = q.code.length === 7;
      const s = sages
        ? await findAgentService(deps.sql, q.code)
        : await findAgentServiceByCodique(deps.sql, q.code);
      const criteria = [
        `Votre recherche a porté sur le code suivant : ${sages ? 'Code SAGES' : 'Code CODIQUE'} : ${q.code}`,
      ];
      return s
        ? { criteria, services: [dashboardEntry(agent, s)] }
        : { criteria, services: [], message: 'Aucun service ne porte ce code.' };
    }
  }
}
