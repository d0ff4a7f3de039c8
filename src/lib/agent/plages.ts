/*
 * "Configurer le service", the weekly plages of a guichet: the rows of inputs the head edits (one
 * window a row: jour, début, fin, validity dates), the API's shape, the checks a browser can make
 * before sending (the API checks them again and decides), and the week grid that summarises them.
 */

/** 1 = lundi … 7 = dimanche, as the API numbers them. */
export const WEEKDAY_NAMES = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** A plage as the API reads and writes it. */
export type ApiPlage = {
  weekday: number;
  start: string;
  end: string;
  validFrom?: string | null;
  validTo?: string | null;
};

/**
 * One row of the editor: every field a string, as inputs hold them (validity dates as the head
 * writes them, JJ/MM/AAAA: typed the same in every browser, unlike a date field's parts);
 * `key` keeps rows apart.
 */
export type PlageRow = {
  key: number;
  weekday: string;
  start: string;
  end: string;
  validFrom: string;
  validTo: string;
};

/** "2026-12-15" → "15/12/2026". */
const frenchDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

let nextKey = 1;
const newKey = () => nextKey++;

/** Rows for the editor, by day then start. */
export function rowsFromApi(plages: readonly ApiPlage[]): PlageRow[] {
  return [...plages]
    .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))
    .map((p) => ({
      key: newKey(),
      weekday: String(p.weekday),
      start: p.start,
      end: p.end,
      validFrom: p.validFrom ? frenchDay(p.validFrom) : '',
      validTo: p.validTo ? frenchDay(p.validTo) : '',
    }));
}

/** "15/12/2026" (or 15-12-2026, 15.12.2026, 2026-12-15) → "2026-12-15"; null when it is no real day. */
export function parseFrenchDate(value: string): string | null {
  const v = value.trim();
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const [y, m, d] = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return null;
  const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day ? day : null;
}

/** A new row: the day after the last row's, or Monday, on the morning. */
export function newRow(rows: readonly PlageRow[]): PlageRow {
  const last = rows.at(-1);
  return {
    key: newKey(),
    weekday: last ? String(Math.min(Number(last.weekday) + 1, 6) || 1) : '1',
    start: last?.start || '08:30',
    end: last?.end || '12:00',
    validFrom: '',
    validTo: '',
  };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** "HH:MM" of a 24-hour day (24:00 closes it), as the API takes it. */
export const isHHMM = (value: string): boolean => HHMM.test(value);

/**
 * What a head types, made "HH:MM" when it is clear: "9:00", "9h", "9h30", "0930", "9" → "09:00"…
 * null when it is not a time.
 */
export function normaliseTime(value: string): string | null {
  const v = value.trim().toLowerCase().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:h.]?(\d{2}))?h?$/.exec(v);
  if (!m) return null;
  const time = `${m[1]!.padStart(2, '0')}:${m[2] ?? '00'}`;
  return isHHMM(time) ? time : null;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The rows as the API takes them (times normalised; empty validity dates are none). */
export function rowsToApi(rows: readonly PlageRow[]): ApiPlage[] {
  return rows.map((r) => ({
    weekday: Number(r.weekday),
    start: normaliseTime(r.start) ?? r.start,
    end: normaliseTime(r.end) ?? r.end,
    validFrom: r.validFrom.trim() ? (parseFrenchDate(r.validFrom) ?? r.validFrom) : null,
    validTo: r.validTo.trim() ? (parseFrenchDate(r.validTo) ?? r.validTo) : null,
  }));
}

/**
 * The errors a browser sees before sending, by row index, worded as the API words them: a time
 * that is not HH:MM, an end not after its start, validity dates upside down, two windows of one
 * day that overlap while valid at the same time.
 */
export function rowErrors(rows: readonly PlageRow[]): Map<number, string> {
  const errors = new Map<number, string>();
  const plages = rowsToApi(rows);
  plages.forEach((p, i) => {
    const day = WEEKDAY_NAMES[p.weekday] ?? '';
    if (!day) errors.set(i, 'Choisissez le jour de la plage.');
    else if (!isHHMM(p.start) || !isHHMM(p.end))
      errors.set(i, 'Heures attendues au format HH:MM, par exemple 08:30.');
    else if (toMinutes(p.end) <= toMinutes(p.start))
      errors.set(i, `La plage du ${day} ${p.start}–${p.end} se termine avant de commencer.`);
    else if ((p.validFrom && !isDay(p.validFrom)) || (p.validTo && !isDay(p.validTo)))
      errors.set(i, 'Dates de validité attendues au format JJ/MM/AAAA.');
    else if (p.validFrom && p.validTo && p.validTo < p.validFrom)
      errors.set(
        i,
        `La plage du ${day} ${p.start}–${p.end} finit d’être valable avant de commencer à l’être.`,
      );
  });
  for (let j = 0; j < plages.length; j++) {
    for (let i = 0; i < j; i++) {
      if (errors.has(i) || errors.has(j)) continue;
      const a = plages[i]!;
      const b = plages[j]!;
      if (a.weekday !== b.weekday || !validTogether(a, b)) continue;
      if (toMinutes(a.start) < toMinutes(b.end) && toMinutes(b.start) < toMinutes(a.end)) {
        errors.set(
          j,
          `Le ${WEEKDAY_NAMES[a.weekday]}, les plages ${a.start}–${a.end} et ${b.start}–${b.end} se chevauchent : fusionnez-les ou décalez l’une d’elles.`,
        );
      }
    }
  }
  return errors;
}

function validTogether(a: ApiPlage, b: ApiPlage): boolean {
  return (a.validFrom || '0000') <= (b.validTo || '9999') && (b.validFrom || '0000') <= (a.validTo || '9999');
}

/** The API's errors (`field: plages.N…`) by row index; the others (no row) under -1. */
export function apiErrorsByRow(errors: readonly { field: string; message: string }[]): Map<number, string> {
  const byRow = new Map<number, string>();
  for (const e of errors) {
    const m = /^plages\.(\d+)/.exec(e.field);
    const row = m ? Number(m[1]) : -1;
    byRow.set(row, byRow.has(row) ? `${byRow.get(row)} ${e.message}` : e.message);
  }
  return byRow;
}

export type GridBlock = {
  start: string;
  end: string;
  /** Position in the day's column, in % of the hours shown. */
  top: number;
  height: number;
  /** "à partir du 15/12/2026", "jusqu’au …", "du … au …", or "". */
  validity: string;
};

export type WeekGrid = {
  /** Whole hours drawn as lines, "08:00"… */
  hours: string[];
  days: { weekday: number; name: string; blocks: GridBlock[] }[];
};

/** A share in %, to the hundredth (styles need no more). */
const percent = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 100;

export function validityLabel(p: Pick<ApiPlage, 'validFrom' | 'validTo'>): string {
  if (p.validFrom && p.validTo) return `du ${frenchDay(p.validFrom)} au ${frenchDay(p.validTo)}`;
  if (p.validFrom) return `à partir du ${frenchDay(p.validFrom)}`;
  if (p.validTo) return `jusqu’au ${frenchDay(p.validTo)}`;
  return '';
}

/**
 * The week grid of a guichet: Monday to Friday, Saturday always (offices may open on it), Sunday
 * only when a plage falls on it; hours from the earliest start to the latest end (08:00–18:00 at
 * least). Rows with errors are left out: the grid only draws what could be saved.
 */
export function weekGrid(plages: readonly ApiPlage[]): WeekGrid {
  const valid = plages.filter(
    (p) => p.weekday >= 1 && p.weekday <= 7 && isHHMM(p.start) && isHHMM(p.end) && p.start < p.end,
  );
  const first = Math.min(8, ...valid.map((p) => Math.floor(toMinutes(p.start) / 60)));
  const last = Math.max(18, ...valid.map((p) => Math.ceil(toMinutes(p.end) / 60)));
  const span = (last - first) * 60;
  const weekdays = [1, 2, 3, 4, 5, 6, ...(valid.some((p) => p.weekday === 7) ? [7] : [])];
  return {
    hours: Array.from({ length: last - first + 1 }, (_, i) => `${String(first + i).padStart(2, '0')}:00`),
    days: weekdays.map((weekday) => ({
      weekday,
      name: WEEKDAY_NAMES[weekday]!,
      blocks: valid
        .filter((p) => p.weekday === weekday)
        .sort((a, b) => a.start.localeCompare(b.start))
        .map((p) => ({
          start: p.start,
          end: p.end,
          top: percent(toMinutes(p.start) - first * 60, span),
          height: percent(toMinutes(p.end) - toMinutes(p.start), span),
          validity: validityLabel(p),
        })),
    })),
  };
}
