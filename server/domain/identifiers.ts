/** Luhn checksum, as used by the SIREN (9 digits) of a company. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const isSiren = (value: string): boolean => /^\d{9}$/.test(value) && luhnValid(value);

/** The numéro fiscal (SPI) of a person: 13 digits. */
export const isNumeroFiscal = (value: string): boolean => /^\d{13}$/.test(value);
