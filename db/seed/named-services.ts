import type { ServiceKind } from '../../server/domain/types.ts';

/*
 * Offices named in the reference document, with the identity it shows. They take precedence over
 * the generated network: an office that `coversArrondissement` replaces the generated office of its
 * kind for the whole arrondissement of its commune; `communes` lists further communes (INSEE codes)
 * whose default sectorisation goes to it.
 *
 * Codes printed in the reference (Nevers, Bourges Nord) are kept as printed, including Bourges
 * Nord's empty code associé. The other codes are invented in the same shape, with a 0 in the
 * position where the generator always writes a non-zero digit, so they can never collide
 * (buildReferential also checks). Addresses not printed in the reference are plausible, not real.
 */
export interface NamedService {
  /** Stable key used by street splits and demo data. */
  key: string;
  kind: ServiceKind;
  name: string;
  codePrincipal: string;
  codeAssocie: string | null;
  /** INSEE code of the commune where the office is. */
  commune: string;
  street: string;
  postcode: string;
  city: string;
  phone: string;
  email: string;
  hours: string;
  coversArrondissement?: boolean;
  communes?: readonly string[];
}

const HOURS_SIP = 'Lundi à vendredi 8h30-12h et 13h30-16h, avec ou sans rendez-vous';

export const NAMED_SERVICES: readonly NamedService[] = [
  {
    key: 'SIP-NEVERS',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS NEVERS',
    codePrincipal: '5800450',
    codeAssocie: '058019',
    commune: '58194',
    street: '19 RUE CAMILLE BAYNAC',
    postcode: '58015',
    city: 'NEVERS CEDEX',
    phone: '03 86 68 49 49',
    email: 'sip.nevers@dgfip.finances.gouv.fr',
    hours: 'Lundi à vendredi 8h30-12h, lundi, mardi, jeudi 13h30-16h, avec ou sans rdv',
    coversArrondissement: true,
  },
  {
    key: 'SIP-BOURGES-NORD',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS BOURGES NORD',
    codePrincipal: '1800151',
    codeAssocie: null,
    commune: '18033',
    street: '4 BOULEVARD CLEMENCEAU',
    postcode: '18013',
    city: 'BOURGES CEDEX',
    phone: '02 48 69 50 00',
    email: 'sip.bourges-nord@dgfip.finances.gouv.fr',
    hours: HOURS_SIP,
    coversArrondissement: true,
  },
  {
    key: 'SIP-BOURGES-SUD',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS BOURGES SUD',
    codePrincipal: '1800152',
    codeAssocie: '018021',
    commune: '18033',
    street: '4 BOULEVARD CLEMENCEAU',
    postcode: '18013',
    city: 'BOURGES CEDEX',
    phone: '02 48 69 50 10',
    email: 'sip.bourges-sud@dgfip.finances.gouv.fr',
    hours: HOURS_SIP,
  },
  {
    key: 'SIP-CAEN-NORD',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS CAEN NORD',
    codePrincipal: '1400410',
    codeAssocie: '014041',
    commune: '14118',
    street: '145 RUE DE LA DELIVRANDE',
    postcode: '14083',
    city: 'CAEN CEDEX 9',
    phone: '02 31 47 11 11',
    email: 'sip.caen-nord@dgfip.finances.gouv.fr',
    hours: HOURS_SIP,
    coversArrondissement: true,
  },
  {
    key: 'SIP-CAEN-SUD',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS CAEN SUD',
    codePrincipal: '1400420',
    codeAssocie: '014042',
    commune: '14118',
    street: '2 PLACE GAMBETTA',
    postcode: '14032',
    city: 'CAEN CEDEX 1',
    phone: '02 31 39 72 00',
    email: 'sip.caen-sud@dgfip.finances.gouv.fr',
    hours: HOURS_SIP,
  },
  {
    key: 'SIP-LYON-NORD',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS LYON NORD',
    codePrincipal: '6900610',
    codeAssocie: '069061',
    commune: '69123',
    street: '3 RUE DE LA MAJOR MARTIN',
    postcode: '69283',
    city: 'LYON CEDEX 01',
    phone: '04 78 39 40 00',
    email: 'sip.lyon-nord@dgfip.finances.gouv.fr',
    hours: HOURS_SIP,
    coversArrondissement: true,
  },
  {
    key: 'SIP-LYON-SUD',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS LYON SUD',
    codePrincipal: '6900620',
    codeAssocie: '069062',
    commune: '69123',
    street: '165 RUE GARIBALDI',
    postcode: '69401',
    city: 'LYON CEDEX 03',
    phone: '04 78 63 30 00',
    email: 'sip.lyon-sud@dgfip.finances.gouv.fr',
    hours: HOURS_SIP,
  },
  {
    key: 'SIP-PLAISIR',
    kind: 'SIP',
    name: 'SERVICE IMPOTS PARTICULIERS PLAISIR',
    codePrincipal: '7800710',
    codeAssocie: '078071',
    commune: '78490',
    street: '1 RUE SALVADOR ALLENDE',
    postcode: '78375',
    city: 'PLAISIR CEDEX',
    phone: '01 30 79 63 00',
    email: 'sip.plaisir@dgfip.finances.gouv.fr',
    hours: 'Lundi à vendredi 8h45-12h et 13h30-16h',
    // Plaisir, Les Clayes-sous-Bois, Villepreux, Chavenay, Thiverval-Grignon: carved out of their
    // arrondissements' default office.
    communes: ['78490', '78165', '78674', '78152', '78615'],
  },
  {
    key: 'TRESO-AIX-D-ANGILLON',
    kind: 'TRESORERIE',
    name: 'TRESORERIE DES AIX D ANGILLON',
    codePrincipal: '1800310',
    codeAssocie: '018031',
    commune: '18003',
    street: '2 PLACE DE LA MAIRIE',
    postcode: '18220',
    city: 'LES AIX D ANGILLON',
    phone: '02 48 64 40 37',
    email: 't018031@dgfip.finances.gouv.fr',
    hours: 'Lundi, mardi, jeudi 8h30-12h et 13h30-16h',
    // Les Aix-d'Angillon, Aubinges, Azy, Brécy, Morogues, Parassy, Rians, Sainte-Solange, Soulangis,
    // Saint-Michel-de-Volangis, Quantilly, Saint-Céols.
    communes: [
      '18003',
      '18016',
      '18019',
      '18035',
      '18156',
      '18176',
      '18194',
      '18235',
      '18253',
      '18226',
      '18189',
      '18202',
    ],
  },
];

/**
 * Street-level splits of one commune between two offices of one kind: the listed streets go to
 * `streetsTo`, every other address of the commune (the default row) to `defaultTo`. Street names
 * are written as a person would; buildReferential stores them through normaliseVoie.
 */
export interface StreetSplit {
  commune: string;
  kind: ServiceKind;
  streetsTo: string;
  defaultTo: string;
  streets: readonly string[];
}

export const STREET_SPLITS: readonly StreetSplit[] = [
  {
    // North of the Orne and of the castle: Délivrande, Côte de Nacre, the university, la Folie-Couvrechef.
    commune: '14118',
    kind: 'SIP',
    streetsTo: 'SIP-CAEN-NORD',
    defaultTo: 'SIP-CAEN-SUD',
    streets: [
      'Rue de la Délivrande',
      'Avenue de la Côte de Nacre',
      'Boulevard Henri Becquerel',
      'Boulevard Maréchal Juin',
      'Rue de Lébisey',
      'Rue du Général Moulin',
      'Avenue de Bruxelles',
      'Rue d’Authie',
      'Boulevard Jean Moulin',
      'Rue de Bayeux',
      'Rue Gémare',
      'Rue de Geôle',
      'Avenue de Garbsen',
      'Rue de la Folie',
      'Rue Pierre Girard',
      'Rue de Tourville',
      'Rue du Vaugueux',
      'Rue de l’Abbatiale',
      'Boulevard du Général Weygand',
      'Rue de la Masse',
      'Rue Saint-Gabriel',
      'Rue de Lion-sur-Mer',
      'Avenue de Creully',
      'Rue Claude Bloch',
    ],
  },
  {
    // Croix-Rousse, Vieux Lyon, Vaise and the 6e: the north of the city.
    commune: '69123',
    kind: 'SIP',
    streetsTo: 'SIP-LYON-NORD',
    defaultTo: 'SIP-LYON-SUD',
    streets: [
      'Boulevard de la Croix-Rousse',
      'Grande Rue de la Croix-Rousse',
      'Rue d’Austerlitz',
      'Rue Burdeau',
      'Montée de la Grande Côte',
      'Rue Terme',
      'Rue d’Algérie',
      'Place des Terreaux',
      'Rue de la Martinière',
      'Quai Saint-Vincent',
      'Quai Pierre Scize',
      'Rue du Bourbonnais',
      'Rue de Saint-Cyr',
      'Rue Marietton',
      'Grande Rue de Vaise',
      'Rue Saint-Jean',
      'Rue du Bœuf',
      'Avenue Foch',
      'Boulevard des Belges',
      'Cours Vitton',
      'Rue Tête d’Or',
      'Cours Franklin Roosevelt',
      'Rue Duquesne',
      'Quai Général Sarrail',
      'Rue Hénon',
      'Rue Philippeville',
    ],
  },
  {
    // Asnières, the Chancellerie and the north-eastern boulevards go to Bourges Sud's counter.
    commune: '18033',
    kind: 'SIP',
    streetsTo: 'SIP-BOURGES-SUD',
    defaultTo: 'SIP-BOURGES-NORD',
    streets: [
      'Avenue du Général de Gaulle',
      'Rue de Lazenay',
      'Avenue de Lattre de Tassigny',
      'Route de la Chapelle',
      'Avenue Marcel Haegelen',
      'Rue Jean Bouin',
      'Boulevard de l’Avenir',
      'Rue Louis Mallet',
      'Avenue Jean Jaurès',
      'Rue du Pré Doulet',
    ],
  },
];
