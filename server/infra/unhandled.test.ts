import { describe, expect, it } from 'vitest';
import { unhandledRejectionHandler } from './unhandled.ts';

function recorder() {
  const lines: { level: string; msg: string }[] = [];
  const exits: number[] = [];
  const log = {
    warn: (_: unknown, msg: string) => void lines.push({ level: 'warn', msg }),
    fatal: (_: unknown, msg: string) => void lines.push({ level: 'fatal', msg }),
  };
  return { handle: unhandledRejectionHandler(log as never, (c) => void exits.push(c)), lines, exits };
}

describe('a rejection nobody handled', () => {
  it('a PostgreSQL connection reset or shutdown: logged, the node goes on', () => {
    const r = recorder();
    r.handle(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    r.handle(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }));
    expect(r.exits).toEqual([]);
    expect(r.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
  });

  it('anything else is a bug: logged, then the node exits 1', () => {
    const r = recorder();
    r.handle(new TypeError('x is undefined'));
    r.handle('une chaîne');
    expect(r.exits).toEqual([1, 1]);
    expect(r.lines.map((l) => l.level)).toEqual(['fatal', 'fatal']);
  });
});
