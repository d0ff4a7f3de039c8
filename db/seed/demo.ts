/*
 * Demonstration data: which offices are open for rdvs, their counters and opening windows, demo
 * agents, and the people who book. Fictional throughout: names are common French names, phone
 * numbers are in the ranges ARCEP reserves for fiction (06 39 98…, 02 61 91…, 03 53 01…), emails
 * use example.org / example.com.
 */
import type { Canal, RdvType } from '../../server/domain/types.ts';

/** Bump when this file changes, so that seedDemo loads the new version. */
export const DEMO_VERSION = 3;

export const DEMO_PASSWORD = 'guichet-demo';

export interface DemoPlage {
  weekdays: readonly (1 | 2 | 3 | 4 | 5)[];
  start: string;
  end: string;
}

export interface DemoGuichet {
  name: string;
  /** Closed guichets show in the agenda and take no rdv. */
  open?: boolean;
  types: readonly RdvType[];
  bookableBy: readonly Canal[];
  plages: readonly DemoPlage[];
  /** Share of the slots of the −20…+30 day window that get an rdv. */
  fill: number;
}

export interface DemoService {
  codePrincipal: string;
  durationMinutes: number;
  guichets: readonly DemoGuichet[];
}

const ALL_CANAUX: readonly Canal[] = ['internet', 'agentExterieur', 'agentService'];
const WEEK = [1, 2, 3, 4, 5] as const;

export const DEMO_SERVICES: readonly DemoService[] = [
  {
    codePrincipal: '5800450', // SIP Nevers, the reference's example
    durationMinutes: 20,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique', 'telephone'],
        bookableBy: ALL_CANAUX,
        plages: [
          { weekdays: WEEK, start: '08:30', end: '12:00' },
          { weekdays: [1, 2, 4], start: '13:30', end: '16:00' },
        ],
        fill: 0.09,
      },
      {
        name: 'Guichet n°2',
        types: ['physique'],
        bookableBy: ['agentService'],
        plages: [{ weekdays: WEEK, start: '09:00', end: '12:00' }],
        fill: 0.06,
      },
      {
        // Closed for works: it shows in the agenda, nobody may book on it.
        name: 'Guichet n°3',
        open: false,
        types: ['physique'],
        bookableBy: ['agentService'],
        plages: [{ weekdays: WEEK, start: '09:00', end: '12:00' }],
        fill: 0,
      },
    ],
  },
  {
    codePrincipal: '1800151', // SIP Bourges Nord
    durationMinutes: 20,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique', 'telephone'],
        bookableBy: ALL_CANAUX,
        plages: [
          { weekdays: WEEK, start: '08:30', end: '12:00' },
          { weekdays: [2, 4], start: '13:30', end: '16:00' },
        ],
        fill: 0.04,
      },
    ],
  },
  {
    codePrincipal: '1400410', // SIP Caen Nord
    durationMinutes: 20,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique', 'telephone'],
        bookableBy: ALL_CANAUX,
        plages: [
          { weekdays: WEEK, start: '08:30', end: '12:00' },
          { weekdays: WEEK, start: '13:30', end: '16:00' },
        ],
        fill: 0.02,
      },
      {
        name: 'Guichet téléphonique',
        types: ['telephone'],
        bookableBy: ['internet', 'agentService'],
        plages: [{ weekdays: [1, 3, 5], start: '14:00', end: '16:00' }],
        fill: 0.05,
      },
    ],
  },
  {
    codePrincipal: '6900610', // SIP Lyon Nord
    durationMinutes: 20,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique', 'telephone'],
        bookableBy: ALL_CANAUX,
        plages: [
          { weekdays: WEEK, start: '08:00', end: '12:00' },
          { weekdays: WEEK, start: '13:30', end: '16:00' },
        ],
        fill: 0.02,
      },
      {
        name: 'Guichet n°2',
        types: ['physique'],
        bookableBy: ['agentExterieur', 'agentService'],
        plages: [{ weekdays: WEEK, start: '08:00', end: '12:00' }],
        fill: 0.03,
      },
    ],
  },
  {
    codePrincipal: '7800710', // SIP Plaisir
    durationMinutes: 20,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique', 'telephone'],
        bookableBy: ALL_CANAUX,
        plages: [{ weekdays: WEEK, start: '08:45', end: '12:00' }],
        fill: 0.04,
      },
    ],
  },
  {
    codePrincipal: '1800310', // Trésorerie des Aix-d'Angillon
    durationMinutes: 30,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique'],
        bookableBy: ALL_CANAUX,
        plages: [{ weekdays: [1, 2, 4], start: '08:30', end: '12:00' }],
        fill: 0.06,
      },
    ],
  },
  {
    // An overseas office: its hours are La Réunion's (UTC+4), and so is every time it shows.
    codePrincipal: '9791401', // SIP Saint-Denis (La Réunion)
    durationMinutes: 20,
    guichets: [
      {
        name: 'Guichet principal',
        types: ['physique', 'telephone'],
        bookableBy: ALL_CANAUX,
        plages: [{ weekdays: WEEK, start: '07:30', end: '12:00' }],
        fill: 0.04,
      },
    ],
  },
];

export interface DemoAgent {
  login: string;
  displayName: string;
  email: string;
  administrateur: boolean;
  habilitations: readonly { codePrincipal: string; profile: 'chef' | 'agent' | 'consultation' }[];
}

export const DEMO_AGENTS: readonly DemoAgent[] = [
  {
    login: 'admin',
    displayName: 'Administrateur national',
    email: 'admin@example.org',
    administrateur: true,
    habilitations: [],
  },
  {
    login: 'chef.nevers',
    displayName: 'Claire Morin',
    email: 'chef.nevers@example.org',
    administrateur: false,
    habilitations: [{ codePrincipal: '5800450', profile: 'chef' }],
  },
  {
    login: 'agent.nevers',
    displayName: 'Julien Perrin',
    email: 'agent.nevers@example.org',
    administrateur: false,
    habilitations: [{ codePrincipal: '5800450', profile: 'agent' }],
  },
  {
    login: 'accueil.nevers',
    displayName: 'Sandrine Collin',
    email: 'accueil.nevers@example.org',
    administrateur: false,
    habilitations: [{ codePrincipal: '5800450', profile: 'agent' }],
  },
  {
    login: 'consultation.nevers',
    displayName: 'Nadia Lefèvre',
    email: 'consultation.nevers@example.org',
    administrateur: false,
    habilitations: [{ codePrincipal: '5800450', profile: 'consultation' }],
  },
  {
    login: 'agent.bourges',
    displayName: 'Mathieu Roussel',
    email: 'agent.bourges@example.org',
    administrateur: false,
    habilitations: [{ codePrincipal: '1800151', profile: 'agent' }],
  },
];

export const PRENOMS_F = [
  'Christelle',
  'Justine Charline Simone',
  'Marie',
  'Nathalie',
  'Isabelle',
  'Sophie',
  'Camille',
  'Élodie',
  'Martine',
  'Chloé',
  'Françoise',
  'Léa',
  'Monique',
  'Aurélie',
  'Inès',
];

export const PRENOMS_M = [
  'Gilles Henri Jean',
  'Luc',
  'Gaël',
  'Philippe',
  'Jean-Pierre',
  'Nicolas',
  'Thomas',
  'Michel',
  'Karim',
  'Antoine',
  'Bernard',
  'Hugo',
  'Stéphane',
  'Yannick',
  'Mathis',
];

export const NOMS = [
  'REY',
  'MERVILLE',
  'BROSSARD',
  'JONDREVILLE',
  'SZCZEPANIAK',
  'VALENTON',
  'MARTIN',
  'BERNARD',
  'DUBOIS',
  'LEFEBVRE',
  'MOREAU',
  'GARNIER',
  'FAURE',
  'ROUSSEAU',
  'BLANCHARD',
  'GUERIN',
  'BOYER',
  'LEMAIRE',
  'NGUYEN',
  'BENALI',
  'DA SILVA',
  'LE GOFF',
  'PERRIN',
  'CHEVALIER',
  'FONTAINE',
];

export const RAISONS_SOCIALES = [
  'BOULANGERIE DU PARC',
  'SARL MENUISERIE GARNIER',
  'EURL CABINET FAURE CONSEIL',
  'SAS TRANSPORTS DU NIVERNAIS',
  'SCI LES TILLEULS',
];

/** What usagers write in "Précisions sur le RDV", by motif code prefix. */
export const PRECISIONS: Readonly<Record<string, readonly string[]>> = {
  'SIP-IR': [
    'Question sur la déclaration de mes revenus fonciers',
    'Je pars à la retraite cette année, comment déclarer mes indemnités ?',
    'Première déclaration après mes études',
    'Assistante maternelle : calcul de l’abattement',
    'Pension reçue d’Allemagne',
    'Question sur un investissement locatif',
  ],
  'SIP-TF': ['Erreur de surface sur mon avis de taxe foncière', 'Exonération pour une construction neuve'],
  'SIP-FAMILLE': [
    'Mariage en juin, déclaration commune ou séparée ?',
    'Décès de mon conjoint',
    'Garde alternée des enfants',
  ],
  'SIP-TH': ['Taxe d’habitation sur une résidence secondaire', 'Logement vacant taxé à tort'],
  'SIP-PAIEMENT': ['Demande de délai de paiement', 'Prélèvement rejeté', 'Mensualisation à mettre en place'],
  'SIP-AUTRE': ['Demande de renseignements', 'Changement d’adresse'],
  TRESO: ['Paiement de la facture de cantine', 'Demande d’échéancier', 'Avis de saisie reçu'],
};

export const CANCEL_REASONS = [
  'Annulé à la demande de l’usager',
  'Empêchement de l’usager',
  'Annulé par le service',
];

export const CONTRE_APPEL_COMMENTS = [
  'Usager joint : pièces à apporter rappelées.',
  'Question réglée par téléphone, rendez-vous annulé.',
  'Messagerie, message laissé.',
  'Usager joint : rendez-vous confirmé.',
  'Demande réorientée vers la messagerie sécurisée.',
];
