import type { ServiceKind } from './types.ts';

/*
 * The words of the public "Contact" cascade, shared by the seed data that writes it
 * (CONTACT_REASONS), the store that keeps it and the API that serves it.
 */

export type Audience = 'particulier' | 'professionnel';
export const AUDIENCES: readonly Audience[] = ['particulier', 'professionnel'];

/** The questions of the cascade, one per level, as the reference words them. */
export const CONTACT_LEVELS = ['Votre demande concerne', 'Au sujet de', 'Plus précisément'] as const;

/** Kinds of office a reason can lead to: the sectorised ones (by address) and the national ones. */
export type ContactServiceKind = Extract<
  ServiceKind,
  'SIP' | 'SIE' | 'CDIF' | 'TRESORERIE' | 'DGE' | 'DRESG'
>;

export interface Faq {
  question: string;
  answer?: string;
  url?: string;
}

export interface OnlineProcedure {
  label: string;
  url: string;
}
