/** A `tel:` URI from a phone number as written for people ("03 86 68 49 49" → "tel:+33386684949"). */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${/^0\d{9}$/.test(digits) ? `+33${digits.slice(1)}` : digits}`;
}

const typeLabels = { physique: 'au guichet', telephone: 'par téléphone' } as const;

/** "au guichet ou par téléphone" from the types of rdv a service offers. */
export function rdvTypesLabel(types: readonly (keyof typeof typeLabels)[]): string {
  return types.map((t) => typeLabels[t]).join(' ou ');
}
