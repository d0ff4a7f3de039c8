import { z } from '@hono/zod-openapi';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { isNumeroFiscal, isSiren, MAX_ROW_ID } from '../domain/identifiers.ts';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemResponse = (description: string) => ({
  content: { 'application/problem+json': { schema: ProblemSchema } },
  description,
});

const UNKNOWN_ID = 'Cet identifiant ne désigne rien : il dépasse les valeurs possibles.';

/**
 * An id of ours in a JSON body: a positive integer that PostgreSQL's integer columns can hold.
 * Every id the API parses goes through this or `idParam`, so that an id beyond them is a 422 here
 * rather than a failed query (a 500).
 */
export const id = (error = 'Identifiant attendu.') =>
  z.number({ error }).int(error).positive(error).max(MAX_ROW_ID, UNKNOWN_ID);

/** The same id in a path or a query string, where it arrives as text. */
export const idParam = (error = 'Identifiant attendu.') =>
  z.coerce.number({ error }).int(error).positive(error).max(MAX_ROW_ID, UNKNOWN_ID);

export const ServiceCode = z
  .string()
  .regex(/^\d{7}$/, 'Le code principal (SAGES) comporte 7 chiffres.')
  .openapi({ example: '5800450' });

export const RdvTypeSchema = z.enum(['physique', 'telephone'], {
  error: 'Type attendu : « physique » ou « telephone ».',
});

/** An instant with its offset, as the API gives them: 2026-12-08T09:20:00+01:00. */
export const Instant = z.iso
  .datetime({
    offset: true,
    error: 'Date et heure attendues au format ISO 8601 avec décalage horaire (2026-12-08T09:20:00+01:00).',
  })
  .openapi({ example: '2026-12-08T09:20:00+01:00' });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const digits = (v: unknown) => (typeof v === 'string' ? v.replace(/[\s.]/g, '') : v);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const Phone = z
  .string()
  .trim()
  .refine((v) => isValidPhoneNumber(v, 'FR'), 'Numéro de téléphone invalide (exemple : 06 12 34 56 78).')
  .transform((v) => parsePhoneNumberFromString(v, 'FR')!.number);

export const UsagerSchema = z
  .object({
    type: z.enum(['particulier', 'professionnel'], {
      error: 'Indiquez si vous êtes particulier ou professionnel.',
    }),
    civilite: z.enum(['M', 'MME'], { error: 'Indiquez votre civilité (Monsieur ou Madame).' }),
    nomUsage: z
      .string({ error: 'Le nom d’usage est obligatoire.' })
      .trim()
      .min(1, 'Le nom d’usage est obligatoire.')
      .max(100),
    nomNaissance: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
    prenoms: z
      .string({ error: 'Le ou les prénoms sont obligatoires.' })
      .trim()
      .min(1, 'Le ou les prénoms sont obligatoires.')
      .max(150),
    dateNaissance: z.preprocess(
      blankToUndefined,
      z.iso.date({ error: 'Date de naissance attendue au format AAAA-MM-JJ.' }).optional(),
    ),
    numeroFiscal: z.preprocess(
      (v) => blankToUndefined(digits(v)),
      z.string().refine(isNumeroFiscal, 'Le numéro fiscal comporte 13 chiffres.').optional(),
    ),
    siren: z.preprocess(
      (v) => blankToUndefined(digits(v)),
      z
        .string()
        .refine(isSiren, 'Le SIREN comporte 9 chiffres et sa clé de contrôle doit être juste.')
        .optional(),
    ),
    raisonSociale: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
    telephones: z
      .array(Phone, { error: 'Au moins un numéro de téléphone est obligatoire.' })
      .min(1, 'Au moins un numéro de téléphone est obligatoire.')
      .max(2, 'Deux numéros de téléphone au plus.'),
    rappel: z
      .array(z.enum(['matin', 'apres-midi']))
      .max(2)
      .optional(),
    email: z.preprocess(blankToUndefined, z.email('Adresse électronique invalide.').max(254).optional()),
  })
  // `when`: these run even if other fields are invalid, so that every error is listed at once.
  .refine((u) => u.type !== 'professionnel' || !!u.raisonSociale, {
    path: ['raisonSociale'],
    message: 'La raison sociale est obligatoire pour un professionnel.',
    when: (payload) => isObject(payload.value),
  })
  .refine((u) => u.type !== 'professionnel' || u.siren !== undefined, {
    path: ['siren'],
    message: 'Le SIREN est obligatoire pour un professionnel.',
    when: (payload) => isObject(payload.value) && payload.value.siren === undefined,
  })
  .openapi('Usager');

export type UsagerInput = z.output<typeof UsagerSchema>;

/** The public card of a service (GET /services/:code, and the search results). */
export const ServiceCardSchema = z
  .object({
    code: z.string().openapi({ example: '5800450' }),
    codeAssocie: z.string().nullable().openapi({ example: '058019' }),
    name: z.string(),
    kind: z.string(),
    address: z.object({ street: z.string(), postcode: z.string(), city: z.string() }),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    hours: z.string().nullable(),
    bookableOnline: z.boolean(),
    durationMinutes: z.number().int(),
    timeZone: z.string().openapi({ example: 'Europe/Paris' }),
    types: z.array(z.enum(['physique', 'telephone'])),
    motifs: z.array(
      z.object({
        id: z.number().int(),
        code: z.string().openapi({ example: 'SIP-IR' }),
        label: z.string(),
        children: z.array(z.object({ id: z.number().int(), code: z.string(), label: z.string() })),
      }),
    ),
  })
  .openapi('ServiceCard');
