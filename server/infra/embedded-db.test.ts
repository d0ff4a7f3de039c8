import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { letOthersThrough } from './embedded-db.ts';

let top: string | undefined;
afterEach(() => (top ? rm(top, { recursive: true, force: true }) : undefined));

describe('letOthersThrough (as root, the postgres user must reach the data and the binaries)', () => {
  it('opens each closed folder on the way to search only, never to reading', async () => {
    top = await mkdtemp(path.join(tmpdir(), 'guichet-closed-')); // 0700, as `mktemp -d`
    const inner = path.join(top, 'checkout', 'node_modules');
    await mkdir(inner, { recursive: true, mode: 0o700 });
    await letOthersThrough(inner);
    for (const d of [top, path.dirname(inner), inner]) {
      const mode = (await stat(d)).mode & 0o777;
      expect(mode, d).toBe(0o701);
    }
  });
});
