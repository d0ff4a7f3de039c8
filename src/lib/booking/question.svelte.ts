import type { RdvType } from '#lib/api/client.ts';

/** A motif as both offers list it: the citizen's service card and the agent's parcours simplifié. */
export type QuestionMotif = {
  id: number;
  label: string;
  children: readonly { id: number; label: string }[];
};

/** What the free slots are asked for: the motif booked and the type of rdv. */
export type Question = { motif: number; type: RdvType };

/** An answer still missing from the question, in the order the form asks them. */
export type QuestionGap = 'motif' | 'sous-motif' | 'type';

/**
 * Step 1 shared by the citizen's wizard and the agent's parcours simplifié: the motif, its
 * sub-motif when it has some, and the type, chosen among what the service offers; and the polite
 * live region both flows speak through. Each flow extends it with its own steps and wording.
 */
export class BookingQuestion<M extends QuestionMotif> {
  readonly motifs: readonly M[];
  readonly types: readonly RdvType[];

  motifId = $state<number | null>(null);
  subMotifId = $state<number | null>(null);
  type = $state<RdvType | null>(null);
  /** Polite announcements of live changes (aria-live region). */
  announcement = $state('');

  constructor(motifs: readonly M[], types: readonly RdvType[]) {
    this.motifs = motifs;
    this.types = types;
    // A single type is no question: it is answered already.
    if (types.length === 1) this.type = types[0] ?? null;
  }

  get motif(): M | undefined {
    return this.motifs.find((m) => m.id === this.motifId);
  }

  /** The motif booked: the sub-motif when the motif has some. */
  get bookedMotifId(): number | null {
    const motif = this.motif;
    if (!motif) return null;
    return motif.children.length > 0 ? this.subMotifId : motif.id;
  }

  /** "Motif — sous-motif", as the step after the question recalls it. */
  get motifLabel(): string {
    const motif = this.motif;
    const child = motif?.children.find((c) => c.id === this.subMotifId);
    return [motif?.label, child?.label].filter(Boolean).join(' — ');
  }

  /** The complete answer, or null while something is missing. */
  get question(): Question | null {
    const motif = this.bookedMotifId;
    return motif === null || !this.type ? null : { motif, type: this.type };
  }

  selectMotif(id: number) {
    // Another motif has other sub-motifs: the one chosen no longer applies.
    if (id !== this.motifId) this.subMotifId = null;
    this.motifId = id;
  }

  /** The messages of what is missing, worded by each flow (the citizen is "vous", not the agent). */
  protected gapMessages(messages: Record<QuestionGap, string>): string[] {
    const gaps: QuestionGap[] = [];
    if (!this.motif) gaps.push('motif');
    else if (this.bookedMotifId === null) gaps.push('sous-motif');
    if (!this.type) gaps.push('type');
    return gaps.map((gap) => messages[gap]);
  }

  announce(message: string) {
    // Same text twice in a row would not be read again: reset first.
    this.announcement = '';
    queueMicrotask(() => {
      this.announcement = message;
    });
  }
}
