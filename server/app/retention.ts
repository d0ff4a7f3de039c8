import { addDays, formatIsoWithOffset, zonedTime } from '../domain/index.ts';
import { applyRetention, claimJob, finishJob, type RetentionCounts } from '../store/retention.ts';
import type { Deps } from './deps.ts';

/*
 * The personal-data retention job: every night, once across nodes, the usagers of rdvs older
 * than RETENTION_MONTHS are anonymised and what no longer serves is purged (store/retention.ts).
 */

const JOB = 'retention';
const RUN_AT = '03:30';
const LEASE_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

/** The next 03:30 in Paris after `now`: the night, when nobody books. */
function nextRun(now: number): Date {
  const today = formatIsoWithOffset(now, 'Europe/Paris').slice(0, 10);
  const tonight = zonedTime(today, RUN_AT, 'Europe/Paris');
  return new Date(tonight > now ? tonight : zonedTime(addDays(today, 1), RUN_AT, 'Europe/Paris'));
}

/** Runs the retention now (the job's body; tests call it directly). */
export async function runRetention(deps: Pick<Deps, 'sql' | 'clock' | 'config'>): Promise<RetentionCounts> {
  const now = deps.clock.now();
  const cutoff = new Date(now);
  cutoff.setMonth(cutoff.getMonth() - deps.config.retentionMonths);
  return deps.sql.begin((tx) =>
    applyRetention(tx, {
      now,
      cutoff,
      // A retry of a booking comes within minutes; a day is ample.
      keysBefore: new Date(now.getTime() - DAY_MS),
      // The demo's mailbox shows the last month.
      mailsBefore: new Date(now.getTime() - 30 * DAY_MS),
    }),
  );
}

/** Runs the job when it is due, on whichever node claims it first; false when not this node's turn. */
export async function retentionTick(
  deps: Pick<Deps, 'sql' | 'clock' | 'config' | 'log'>,
): Promise<RetentionCounts | false> {
  const now = deps.clock.now();
  // The first tick of a new deployment runs it at once; then every night.
  if (!(await claimJob(deps.sql, JOB, now, new Date(now.getTime() + LEASE_MS), now))) return false;
  const counts = await runRetention(deps);
  await finishJob(deps.sql, JOB, deps.clock.now(), nextRun(deps.clock.now().getTime()), counts);
  deps.log.info({ job: JOB, ...counts }, 'conservation des données : traitement du jour effectué');
  return counts;
}

/** Looks for due jobs every minute on this node. */
export function startJobs(
  deps: Pick<Deps, 'sql' | 'clock' | 'config' | 'log'>,
  intervalMs = 60_000,
): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = retentionTick(deps)
      .catch((err) =>
        deps.log.warn({ err }, 'conservation des données : traitement en échec, nouvel essai plus tard'),
      )
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
