/*
 * Runs one load scenario in a child process (bench/load-generator.ts) and returns its figures:
 * the generator never shares the event loop of the server under test.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LoadResult, Scenario } from './load-generator.ts';

export type { LoadResult, Scenario };
export type Load = (scenario: Scenario) => Promise<LoadResult>;

/**
 * Requests in flight for every throughput figure, the product's and its baseline's alike: enough
 * that a node waiting on PostgreSQL and Redis still has work in hand (with 16, the node sat idle a
 * third of the time and the figure measured latency rather than capacity). BENCH_CONNECTIONS
 * overrides it.
 */
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 64;

const GENERATOR = path.join(import.meta.dirname, 'load-generator.ts');

export const load: Load = (scenario) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', GENERATOR], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`générateur de charge : code ${code}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (err) {
        reject(err);
      }
    });
    child.stdin.end(JSON.stringify(scenario));
  });

/** What answered other than `expected`, for the table (a figure of failures is no figure). */
export function unexpected(r: LoadResult, ...expected: string[]): string {
  const other = Object.entries(r.statuses).filter(([code]) => !expected.includes(code));
  const n = other.reduce((sum, [, count]) => sum + count, 0) + r.errors;
  return n === 0 ? '' : ` — ${n} unexpected (${other.map(([c, k]) => `${k}×${c}`).join(', ') || 'errors'})`;
}

/**
 * The product and its baseline measured in turns, `rounds` times, each figure the median of its
 * rounds: on a shared machine the background load changes within a minute, and both sides of a
 * ratio should see the same.
 */
export async function inTurns(
  rounds: number,
  product: (round: number) => Promise<LoadResult>,
  baseline: (round: number) => Promise<LoadResult>,
): Promise<{ product: LoadResult; baseline: LoadResult }> {
  const a: LoadResult[] = [];
  const b: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await product(i));
    b.push(await baseline(i));
  }
  return { product: median(a), baseline: median(b) };
}

/** The round of median throughput, its statuses summed over every round. */
function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((x, y) => x.perSecond - y.perSecond);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  const statuses: Record<string, number> = {};
  for (const r of results)
    for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return { ...mid, statuses, errors: results.reduce((n, r) => n + r.errors, 0) };
}
