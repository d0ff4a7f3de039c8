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

/**
 * The largest id a row can have: ids are PostgreSQL `integer`s, and a query given a larger number
 * fails (22003, out of range) instead of finding nothing, so the API refuses it first.
 */
export const MAX_ROW_ID = 2_147_483_647;

export const isRowId = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_ROW_ID;
