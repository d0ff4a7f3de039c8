/*
 * Normal forms of address text: `postalUpper` for office names, localities and postal lines;
 * `normaliseVoie` for street names, the key of `sectorisation.voies`.
 *
 * Both shape rows of the national referential: a change that alters their output must bump the
 * referential's GENERATOR_VERSION, or databases keep rows in the old form.
 *
 * normaliseVoie runs on the referential's street lists and on what a person types, so the
 * rule only has to be consistent, not pretty. It is tolerant of the usual ways of writing an
 * address ("145 rue de la Délivrande", "145, R. DE LA DELIVRANDE", "Délivrande"):
 *
 * 1. Accents and ligatures go (É → E, Œ → OE), everything is uppercased, and every character
 *    other than a letter or a digit becomes a space (apostrophes, hyphens, dots, commas).
 * 2. A leading house number goes, with its BTQ suffix (bis, ter, quater, B, T, Q…), glued or not
 *    ("12BIS", "12 B", "145-147").
 * 3. A leading type of way goes, abbreviated or not (RUE, R, AVENUE, AV, BD, PLACE, PL, QUAI,
 *    CHEMIN, IMPASSE, ALLEE, COURS, ROUTE, GRANDE RUE, ROND POINT…). Without it "Rue X" and
 *    "Boulevard X" collide; in one commune that is rare, and when it happens they are neighbours.
 * 4. Articles and prepositions (DE, DU, DES, LA, LE, LES, L, D, AU, AUX) go wherever they are,
 *    because people add or drop them freely.
 * 5. Common title abbreviations are expanded (ST → SAINT, STE → SAINTE, GAL → GENERAL,
 *    MAL → MARECHAL, PDT → PRESIDENT, DR → DOCTEUR, CDT → COMMANDANT, LT → LIEUTENANT, PROF → PROFESSEUR).
 *
 * "145 rue de la Délivrande" → "DELIVRANDE"; "Avenue du Gal de Gaulle" → "GENERAL GAULLE";
 * "12 bis boulevard de la Croix-Rousse" → "CROIX ROUSSE"; "Rue du 8 Mai 1945" → "8 MAI 1945".
 * If a step would leave nothing (a street called "Rue de la Place"), that step is skipped.
 */

const WAY_TYPES: readonly (readonly string[])[] = [
  ['GRANDE', 'RUE'],
  ['GDE', 'RUE'],
  ['ROND', 'POINT'],
  ['CHEMIN', 'RURAL'],
  ['CHEMIN', 'VICINAL'],
  ['PETITE', 'RUE'],
  ...[
    'RUE',
    'R',
    'AVENUE',
    'AV',
    'AVE',
    'BOULEVARD',
    'BD',
    'BLD',
    'BLVD',
    'BOUL',
    'PLACE',
    'PL',
    'QUAI',
    'QU',
    'COURS',
    'CRS',
    'CHEMIN',
    'CHE',
    'CH',
    'IMPASSE',
    'IMP',
    'ALLEE',
    'ALLEES',
    'ALL',
    'ROUTE',
    'RTE',
    'SQUARE',
    'SQ',
    'PASSAGE',
    'PAS',
    'PASS',
    'MONTEE',
    'MTE',
    'ESPLANADE',
    'ESP',
    'PROMENADE',
    'PROM',
    'RUELLE',
    'RLE',
    'SENTIER',
    'SEN',
    'VOIE',
    'PARVIS',
    'RPT',
    'FAUBOURG',
    'FBG',
    'FG',
    'LOTISSEMENT',
    'LOT',
    'RESIDENCE',
    'RES',
    'CITE',
    'HAMEAU',
    'HAM',
    'CARREFOUR',
    'CAR',
    'TRAVERSE',
    'TRA',
    'VENELLE',
    'CLOS',
    'GR',
  ].map((t) => [t]),
];

const PARTICLES = new Set(['DE', 'DU', 'DES', 'LA', 'LE', 'LES', 'L', 'D', 'AU', 'AUX']);

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  ST: 'SAINT',
  STE: 'SAINTE',
  GAL: 'GENERAL',
  GEN: 'GENERAL',
  MAL: 'MARECHAL',
  PDT: 'PRESIDENT',
  PRES: 'PRESIDENT',
  DR: 'DOCTEUR',
  DOC: 'DOCTEUR',
  CDT: 'COMMANDANT',
  LT: 'LIEUTENANT',
  LTN: 'LIEUTENANT',
  PROF: 'PROFESSEUR',
};

const HOUSE_NUMBER = /^\d+(?:BIS|TER|QUATER|QUINQUIES|[A-Z])?$/;
const BTQ = new Set(['BIS', 'TER', 'QUATER', 'QUINQUIES', 'B', 'T', 'Q', 'A', 'C']);

function tokens(street: string): string[] {
  return street
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œŒ]/g, 'OE')
    .replace(/[æÆ]/g, 'AE')
    .replace(/ß/g, 'SS')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t !== '');
}

function dropHouseNumber(words: string[]): string[] {
  let i = 0;
  // "145 147 RUE X" (a range written with a hyphen) and "12 BIS RUE X" both start with numbers.
  while (i < words.length - 1 && HOUSE_NUMBER.test(words[i]!)) {
    i++;
    if (i < words.length - 1 && BTQ.has(words[i]!)) i++;
  }
  return words.slice(i);
}

function dropWayType(words: string[]): string[] {
  for (const type of WAY_TYPES) {
    if (words.length > type.length && type.every((t, k) => words[k] === t)) return words.slice(type.length);
  }
  return words;
}

export function normaliseVoie(street: string): string {
  let words = tokens(street);
  words = dropHouseNumber(words);
  words = dropWayType(words);
  const meaningful = words.filter((w) => !PARTICLES.has(w));
  if (meaningful.length > 0) words = meaningful;
  return words.map((w) => ABBREVIATIONS[w] ?? w).join(' ');
}

/** Upper case without accents or punctuation, as office names and postal lines are written. */
export function postalUpper(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œŒ]/g, 'OE')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}
