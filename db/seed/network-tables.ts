import type { ServiceKind } from '../../server/domain/types.ts';

/*
 * Fixed tables of the generated office network (db/seed/referential.ts): overseas zones and
 * calendars, fictional telephone ranges, code digits, street names, name prefixes and hours.
 */

export const OVERSEAS: Readonly<Record<string, { timeZone: string; calendar: string; phone: string }>> = {
  '971': { timeZone: 'America/Guadeloupe', calendar: 'guadeloupe', phone: '05 90' },
  '972': { timeZone: 'America/Martinique', calendar: 'martinique', phone: '05 96' },
  '973': { timeZone: 'America/Cayenne', calendar: 'guyane', phone: '05 94' },
  '974': { timeZone: 'Indian/Reunion', calendar: 'reunion', phone: '02 62' },
  '976': { timeZone: 'Indian/Mayotte', calendar: 'mayotte', phone: '02 69' },
};

export const CONCORDAT = new Set(['57', '67', '68']);

// Metropolitan numbers in the ranges ARCEP reserves for fiction, by telephone zone.
export const FICTION_PREFIX: Readonly<Record<string, string>> = {
  '01': '01 99 00',
  '02': '02 61 91',
  '03': '03 53 01',
  '04': '04 65 71',
  '05': '05 36 49',
};

export const REGION_PHONE_ZONE: Readonly<Record<string, string>> = {
  '11': '01',
  '24': '02',
  '28': '02',
  '52': '02',
  '53': '02',
  '27': '03',
  '32': '03',
  '44': '03',
  '84': '04',
  '93': '04',
  '94': '04',
  '75': '05',
  '76': '05',
};
export const OCCITANIE_EAST = new Set(['11', '30', '34', '48', '66']);

export const KIND_DIGIT: Readonly<Record<ServiceKind, number>> = {
  SIP: 1,
  SIE: 2,
  CDIF: 3,
  'SIP-CDIF': 4,
  TRESORERIE: 5,
  SPL: 6,
  AMENDE: 7,
  DGE: 8,
  DRESG: 9,
};

export const STREETS = [
  'RUE DE LA REPUBLIQUE',
  'AVENUE DU GENERAL DE GAULLE',
  'BOULEVARD VICTOR HUGO',
  'RUE GAMBETTA',
  'PLACE DU MARECHAL LECLERC',
  'RUE JEAN JAURES',
  'AVENUE DE LA LIBERATION',
  'RUE DU 8 MAI 1945',
  'RUE DES ECOLES',
  'PLACE DE LA MAIRIE',
];

export const NAME_PREFIX: Partial<Record<ServiceKind, string>> = {
  SIP: 'SERVICE IMPOTS PARTICULIERS',
  SIE: 'SERVICE IMPOTS ENTREPRISES',
  CDIF: 'CENTRE DES IMPOTS FONCIER',
};

export const EMAIL_PREFIX: Partial<Record<ServiceKind, string>> = { SIP: 'sip', SIE: 'sie', CDIF: 'cdif' };

export const HOURS: Partial<Record<ServiceKind, string>> = {
  SIP: 'Lundi à vendredi 8h30-12h et 13h30-16h',
  SIE: 'Lundi à vendredi 8h45-12h, après-midi sur rendez-vous',
  CDIF: 'Lundi à vendredi 8h30-12h, après-midi sur rendez-vous',
};
