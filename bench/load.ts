/*
 * Runs one load scenario in a child process (bench/load-generator.ts) and returns its figures:
 * the generator never shares the event loop of the server under test.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LoadResult, Scenario } from './load-generator.ts';

export type { LoadResult, Scenario };
export type Load = (scenario: Scenario) => Promise<LoadResult>;

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
