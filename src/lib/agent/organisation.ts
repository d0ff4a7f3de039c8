import type { FieldError } from './submission.ts';

/*
 * The rules the forms of "Organiser le service", "Administration" and "Mot de passe" check before
 * sending (the API checks them again and decides): in French, beside each field.
 */

export const PROFILES = ['consultation', 'agent', 'chef'] as const;
export type ProfileChoice = (typeof PROFILES)[number];

/** The habilitation profiles in the reference's words (annexe 4). */
export const PROFILE_LABELS: Record<ProfileChoice | 'administrateur', string> = {
  consultation: 'Consultation',
  agent: 'Agent',
  chef: 'Chef de service',
  administrateur: 'Administrateur',
};

/** As the API requires (ANSSI's advice for a password an agent chooses). */
export const PASSWORD_MIN_LENGTH = 12;

export type PasswordField = 'current' | 'next' | 'confirmation';

export function passwordErrors(f: {
  current: string;
  next: string;
  confirmation: string;
}): FieldError<PasswordField>[] {
  const errors: FieldError<PasswordField>[] = [];
  if (!f.current) errors.push({ field: 'current', message: 'Saisissez votre mot de passe actuel.' });
  if (f.next.length < PASSWORD_MIN_LENGTH)
    errors.push({
      field: 'next',
      message: `Le nouveau mot de passe comporte ${PASSWORD_MIN_LENGTH} caractères au moins.`,
    });
  else if (f.current && f.next === f.current)
    errors.push({ field: 'next', message: 'Choisissez un mot de passe différent de l’actuel.' });
  if (f.confirmation !== f.next)
    errors.push({
      field: 'confirmation',
      message: 'La confirmation ne correspond pas au nouveau mot de passe.',
    });
  return errors;
}

export type AgentField = 'login' | 'name' | 'email' | 'password' | 'services';
export type HabilitationRow = { code: string; profile: ProfileChoice };

export function agentErrors(f: {
  login: string;
  name: string;
  email: string;
  password: string;
  habilitations: HabilitationRow[];
}): FieldError<AgentField>[] {
  const errors: FieldError<AgentField>[] = [];
  if (!/^[a-z0-9._-]{3,60}$/i.test(f.login.trim()))
    errors.push({ field: 'login', message: 'Identifiant : 3 à 60 lettres, chiffres, points ou tirets.' });
  if (!f.name.trim()) errors.push({ field: 'name', message: 'Le nom est obligatoire.' });
  if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim()))
    errors.push({ field: 'email', message: 'Adresse électronique invalide.' });
  if (f.password.length < PASSWORD_MIN_LENGTH)
    errors.push({
      field: 'password',
      message: `Le premier mot de passe comporte ${PASSWORD_MIN_LENGTH} caractères au moins.`,
    });
  const codes = f.habilitations.map((h) => h.code.trim()).filter(Boolean);
  if (codes.some((c) => !/^\d{7}$/.test(c)))
    errors.push({ field: 'services', message: 'Le code principal d’un service comporte 7 chiffres.' });
  else if (new Set(codes).size !== codes.length)
    errors.push({ field: 'services', message: 'Un service n’est rattaché qu’une fois.' });
  return errors;
}

/** The habilitations to send: rows with a code, trimmed. */
export const habilitationsOf = (rows: HabilitationRow[]) =>
  rows.filter((h) => h.code.trim()).map((h) => ({ code: h.code.trim(), profile: h.profile }));

export type ServiceField = 'codePrincipal' | 'codeAssocie' | 'name' | 'postcode' | 'city' | 'email';

export function serviceErrors(f: {
  codePrincipal: string;
  codeAssocie: string;
  name: string;
  postcode: string;
  city: string;
  email: string;
}): FieldError<ServiceField>[] {
  const errors: FieldError<ServiceField>[] = [];
  if (!/^\d{7}$/.test(f.codePrincipal.trim()))
    errors.push({ field: 'codePrincipal', message: 'Le code principal (SAGES) comporte 7 chiffres.' });
  if (f.codeAssocie.trim() && !/^\d{6}$/.test(f.codeAssocie.trim()))
    errors.push({ field: 'codeAssocie', message: 'Le code associé (CODIQUE) comporte 6 chiffres.' });
  if (!f.name.trim()) errors.push({ field: 'name', message: 'Le libellé du service est obligatoire.' });
  if (!/^\d{5}$/.test(f.postcode.trim()))
    errors.push({ field: 'postcode', message: 'Le code postal comporte 5 chiffres.' });
  if (!f.city.trim()) errors.push({ field: 'city', message: 'La ville est obligatoire.' });
  if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim()))
    errors.push({ field: 'email', message: 'Adresse électronique invalide.' });
  return errors;
}

/**
 * Where an agent lands after signing in or loading a page: on "Mot de passe" while his first
 * password is not changed (the API refuses him everything else), else where he was going.
 */
export function passwordGate(me: { mustChangePassword: boolean }, pathname: string): string | null {
  if (me.mustChangePassword && pathname !== '/agent/mot-de-passe') return '/agent/mot-de-passe';
  return null;
}
