import { ApiError } from '#lib/api/client.ts';
import type { Decision, ImpactAnswer, ImpactOptions } from './config-api.ts';
import type { Affected } from './configuration.ts';

/**
 * The head's answer: a decision for every rdv (`decision`), some rdvs' own (`decisions`, by id)
 * and the common one for the others — or every rdv decided one by one.
 */
export type ImpactChoice = Pick<ImpactOptions, 'decision' | 'decisions'>;

/** A change waiting for the head's decision about the rdvs it would leave outside the offer. */
export type PendingImpact = {
  /** What the change is, for the dialog's title: "Fermer le guichet Guichet n°2". */
  title: string;
  affected: Affected[];
};

/**
 * Impact first: a change is sent with `preview: true`; when it touches no rdv it is sent for
 * real, otherwise the affected rdvs are shown and it is sent again only with the head's decision
 * (keep, replan, cancel) — or not at all. The decision names the rdvs it was taken for
 * (`affectedIds`): if rdvs were booked meanwhile, the API refuses (DECISION_REQUIRED, with every
 * affected rdv), and they are all shown and decided again. Nothing is lost silently.
 */
export class ImpactFlow {
  pending = $state<PendingImpact | null>(null);
  #resolve: ((c: ImpactChoice | null) => void) | null = null;

  /** The saved answer, or null when the head gave up. */
  async run(title: string, send: (o: ImpactOptions) => Promise<ImpactAnswer>): Promise<ImpactAnswer | null> {
    let affected = (await send({ preview: true })).affected;
    if (affected.length === 0) {
      try {
        return await send({});
      } catch (err) {
        affected = decisionRequired(err);
      }
    }
    for (;;) {
      const choice = await this.#ask({ title, affected });
      if (!choice) return null;
      try {
        return await send({ ...choice, affectedIds: affected.map((a) => a.id) });
      } catch (err) {
        affected = decisionRequired(err);
      }
    }
  }

  /** The common decision (null: give up the change), with the rdvs' own choices. */
  choose(decision: Decision | null, own: Record<string, Decision> = {}): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.pending = null;
    const decisions = Object.keys(own).length > 0 ? own : undefined;
    resolve?.(decision || decisions ? { decision: decision ?? undefined, decisions } : null);
  }

  #ask(p: PendingImpact): Promise<ImpactChoice | null> {
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.pending = p;
    });
  }
}

/** The rdvs of a DECISION_REQUIRED refusal; any other failure goes on. */
function decisionRequired(err: unknown): Affected[] {
  if (err instanceof ApiError && err.code === 'DECISION_REQUIRED') {
    const list = (err.problem as { affected?: unknown } | undefined)?.affected;
    if (Array.isArray(list) && list.length > 0) return list as Affected[];
  }
  throw err;
}
