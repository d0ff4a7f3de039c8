/*
 * Benchmark of the pure slot computation: 60 days × 6 guichets for an agent of the service, the
 * widest query the agenda makes. Each figure comes with a same-run baseline, a loop that only walks
 * the raw slot grid (no window, holidays, fermetures or busy), so the ratio says what the rules cost
 * on this machine rather than how fast the machine is.
 *
 * Run: node_modules/.bin/node bench/domain-slots.ts
 */
import { computeSlots, type SlotQuery } from '../server/domain/slots.ts';
import {
  dayFrame,
  frameTime,
  localDayNumber,
  parseDay,
  parseTime,
  zonedTime,
} from '../server/domain/time.ts';
import type { Busy, Canal, Fermeture, Guichet, Plage, ServiceRules } from '../server/domain/types.ts';

export interface Row {
  name: string;
  unit: 'ms';
  value: number;
  baseline: number;
  /** value / baseline */
  ratio: number;
}

const TZ = 'Europe/Paris';
const RULES: ServiceRules = { timeZone: TZ, holidayCalendar: 'metropole', durationMinutes: 20 };
const MOTIF = 1;
const GUICHETS = 6;
const DAYS = 60;
const BUSY_SHARE = 0.3;
const WARMUP = 300;
const ITERATIONS = 3000;

const PLAGES: Plage[] = ([1, 2, 3, 4, 5] as const).flatMap((weekday) => [
  { weekday, start: '08:30', end: '12:00' },
  { weekday, start: '13:30', end: '16:00' },
]);

/** Deterministic so that runs compare (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function buildQuery(canal: Canal, now: number, from: string, to: string): SlotQuery {
  const guichets: Guichet[] = Array.from({ length: GUICHETS }, (_, i) => ({
    id: i + 1,
    name: `Guichet n°${i + 1}`,
    open: true,
    allowsPhysique: true,
    allowsTelephone: true,
    bookableBy: ['internet', 'agentExterieur', 'agentService'],
    motifIds: [MOTIF, 2],
    plages: PLAGES,
  }));
  const random = prng(20_261_102);
  const busy: Busy[] = [];
  enumerateGrid(guichets, from, to, (guichetId, start, end) => {
    if (random() < BUSY_SHARE) busy.push({ guichetId, start, end });
  });
  const fermetures: Fermeture[] = [
    // A service-wide afternoon (staff meeting), a guichet closed for a week, another for a morning.
    {
      guichetId: null,
      start: zonedTime('2026-11-19', '13:30', TZ),
      end: zonedTime('2026-11-19', '16:00', TZ),
    },
    { guichetId: 2, start: zonedTime('2026-11-23', '00:00', TZ), end: zonedTime('2026-11-28', '00:00', TZ) },
    { guichetId: 5, start: zonedTime('2026-12-03', '08:00', TZ), end: zonedTime('2026-12-03', '12:00', TZ) },
    {
      guichetId: null,
      start: zonedTime('2026-12-24', '12:00', TZ),
      end: zonedTime('2026-12-26', '00:00', TZ),
    },
  ];
  return { rules: RULES, guichets, fermetures, busy, motifId: MOTIF, type: 'physique', canal, from, to, now };
}

/** The raw grid: every slot of every plage of every guichet, day by day, nothing filtered. */
function enumerateGrid(
  guichets: readonly Guichet[],
  from: string,
  to: string,
  visit: (guichetId: number, start: number, end: number) => void,
): void {
  const duration = RULES.durationMinutes * 60_000;
  const last = parseDay(to);
  for (let day = parseDay(from); day <= last; day++) {
    const frame = dayFrame(day, TZ);
    for (const g of guichets) {
      for (const p of g.plages) {
        if (p.weekday !== frame.weekday) continue;
        const end = frameTime(frame, parseTime(p.end));
        for (let t = frameTime(frame, parseTime(p.start)); t + duration <= end; t += duration)
          visit(g.id, t, t + duration);
      }
    }
  }
}

interface Stats {
  mean: number;
  p50: number;
  p99: number;
}

function measure(fn: () => number): Stats {
  let sink = 0;
  for (let i = 0; i < WARMUP; i++) sink += fn();
  const samples = new Float64Array(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    sink += fn();
    samples[i] = performance.now() - t0;
  }
  if (sink === -1) process.stdout.write('');
  samples.sort();
  const at = (q: number) => samples[Math.min(ITERATIONS - 1, Math.floor(q * ITERATIONS))]!;
  return { mean: samples.reduce((a, b) => a + b, 0) / ITERATIONS, p50: at(0.5), p99: at(0.99) };
}

function scenario(label: string, canal: Canal, days: number): { rows: Row[]; offered: number; grid: number } {
  const now = zonedTime('2026-11-02', '08:00', TZ); // a Monday, window over 11 November and Christmas
  const from = '2026-11-02';
  const lastDay = localDayNumber(now, TZ) + days;
  const to = new Date(lastDay * 86_400_000).toISOString().slice(0, 10);
  const query = buildQuery(canal, now, from, to);
  const slots = measure(() => {
    const r = computeSlots(query);
    return r.days.length;
  });
  const baseline = measure(() => {
    let count = 0;
    enumerateGrid(query.guichets, from, to, (_g, start) => {
      count += start & 1;
    });
    return count;
  });
  let grid = 0;
  enumerateGrid(query.guichets, from, to, () => {
    grid++;
  });
  const offered = computeSlots(query).days.reduce((n, d) => n + d.slots.length, 0);
  const row = (stat: keyof Stats): Row => ({
    name: `${label} ${stat}`,
    unit: 'ms',
    value: slots[stat],
    baseline: baseline[stat],
    ratio: slots[stat] / baseline[stat],
  });
  return { rows: [row('mean'), row('p50'), row('p99')], offered, grid };
}

export async function runDomainSlotsBench(): Promise<Row[]> {
  return [
    ...scenario(`computeSlots ${DAYS} j × ${GUICHETS} guichets agentService`, 'agentService', DAYS).rows,
    ...scenario(`computeSlots 30 j × ${GUICHETS} guichets internet`, 'internet', 30).rows,
  ];
}

function printTable(rows: Row[]): void {
  const header = ['cas', 'valeur (ms)', 'référence (ms)', 'ratio'];
  const lines = rows.map((r) => [
    r.name,
    r.value.toFixed(4),
    r.baseline.toFixed(4),
    `${r.ratio.toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(
    `${[fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n')}\n`,
  );
}

if (import.meta.main) {
  // The first call also computes the year's public holidays from date-holidays' data.
  const cold = buildQuery('agentService', zonedTime('2026-11-02', '08:00', TZ), '2026-11-02', '2027-01-01');
  const t0 = performance.now();
  const first = computeSlots(cold);
  const coldMs = performance.now() - t0;
  const rows = await runDomainSlotsBench();
  const { offered, grid } = scenario('info', 'agentService', DAYS);
  process.stdout.write(
    `Référence : boucle qui parcourt la même grille brute de créneaux, sans aucun filtre (${grid} créneaux × guichet ; ${offered} créneaux proposés, ${first.days.length} jours).\n` +
      `${ITERATIONS} itérations après ${WARMUP} de chauffe. Premier appel à froid (calcul des jours fériés 2026–2027) : ${coldMs.toFixed(2)} ms.\n\n`,
  );
  printTable(rows);
}
