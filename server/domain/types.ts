/** Who books: the usager online, an agent outside the service, or an agent of the service. */
export type Canal = 'internet' | 'agentExterieur' | 'agentService';

export const CANAUX: readonly Canal[] = ['internet', 'agentExterieur', 'agentService'];

export type RdvType = 'physique' | 'telephone';

/** Public-holiday calendar of a service: metropole, the Concordat départements, or an overseas département. */
export type HolidayCalendar =
  | 'metropole'
  | 'alsace-moselle'
  | 'guadeloupe'
  | 'martinique'
  | 'guyane'
  | 'reunion'
  | 'mayotte';

export const HOLIDAY_CALENDARS: readonly HolidayCalendar[] = [
  'metropole',
  'alsace-moselle',
  'guadeloupe',
  'martinique',
  'guyane',
  'reunion',
  'mayotte',
];

/** Calendar date in the service's zone, 'YYYY-MM-DD'. */
export type LocalDate = string;

/** Wall-clock time in the service's zone, 'HH:MM'. */
export type WallTime = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Half-open interval [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** Weekly opening window of a guichet; validity dates are inclusive and optional. */
export interface Plage {
  weekday: Weekday;
  start: WallTime;
  end: WallTime;
  validFrom?: LocalDate | null;
  validTo?: LocalDate | null;
}

/** Exceptional closure; `guichetId: null` closes the whole service. */
export interface Fermeture {
  start: number;
  end: number;
  guichetId: number | null;
}

export interface Guichet {
  id: number;
  name: string;
  open: boolean;
  allowsPhysique: boolean;
  allowsTelephone: boolean;
  bookableBy: Canal[];
  motifIds: number[];
  plages: Plage[];
}

export interface ServiceRules {
  /** IANA zone of the service (Europe/Paris, America/Cayenne…). */
  timeZone: string;
  holidayCalendar: HolidayCalendar;
  durationMinutes: number;
}

/** Time taken on a guichet by an active rdv or a live hold. */
export interface Busy {
  guichetId: number;
  start: number;
  end: number;
}

/** Kinds of office of the national network; motifs and sectorisation are per kind. */
export type ServiceKind =
  | 'SIP'
  | 'SIE'
  | 'CDIF'
  | 'SIP-CDIF'
  | 'TRESORERIE'
  | 'SPL'
  | 'AMENDE'
  | 'DGE'
  | 'DRESG';

export const SERVICE_KINDS: readonly ServiceKind[] = [
  'SIP',
  'SIE',
  'CDIF',
  'SIP-CDIF',
  'TRESORERIE',
  'SPL',
  'AMENDE',
  'DGE',
  'DRESG',
];

/**
 * The citizen or company of an rdv, as the booking form gives it and as the agents of the rdv's
 * service read it (never in public events).
 */
export interface Usager {
  type: 'particulier' | 'professionnel';
  civilite: 'M' | 'MME';
  nomUsage: string;
  nomNaissance: string | null;
  prenoms: string;
  /** YYYY-MM-DD */
  dateNaissance: string | null;
  /** Numéro fiscal (SPI), 13 digits. */
  numeroFiscal: string | null;
  /** SIREN of a company, 9 digits. */
  siren: string | null;
  raisonSociale: string | null;
  telephones: string[];
  /** When the usager prefers to be called back: matin, apres-midi. */
  rappel: string[];
  email: string | null;
}
