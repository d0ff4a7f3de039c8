import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, root } from './process.ts';

const HAPROXY = process.env.HAPROXY_PATH || '/usr/sbin/haproxy';

/**
 * Debian's HAProxy in front of two nodes, with the configuration we ship (deploy/haproxy.cfg).
 * Resolves once the proxy answers /readyz through a node.
 */
export async function startHaproxy(
  nodes: [string, string],
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const hostOf = (url: string) => new URL(url).host;
  const child = spawn(HAPROXY, ['-db', '-f', path.join(root, 'deploy/haproxy.cfg')], {
    env: {
      ...process.env,
      GUICHET_LISTEN: `127.0.0.1:${port}`,
      GUICHET_NODE1: hostOf(nodes[0]),
      GUICHET_NODE2: hostOf(nodes[1]),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HAProxy s’est arrêté : ${output}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`HAProxy ne répond pas : ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The token the fault tests' nodes read their metrics with. */
export const PROBE_METRICS_TOKEN = 'jeton-des-sondes-de-test';

/** How many health checks (`/healthz` or `/readyz`) a node has answered, from its `/metrics`. */
async function checksAnswered(nodeUrl: string): Promise<number> {
  const res = await fetch(`${nodeUrl}/metrics`, {
    headers: { authorization: `Bearer ${PROBE_METRICS_TOKEN}` },
  });
  if (!res.ok) throw new Error(`${nodeUrl}/metrics : ${res.status} (le nœud a-t-il METRICS_TOKEN ?)`);
  let n = 0;
  for (const line of (await res.text()).split('\n')) {
    const m = /^guichet_http_request_duration_seconds_count\{([^}]*)\} (\d+)/.exec(line);
    if (m && /route="\/(healthz|readyz)"/.test(m[1]!)) n += Number(m[2]);
  }
  return n;
}

/**
 * Resolves once every node has answered `count` more health checks than when it was called: by
 * then HAProxy (inter 1s, fall 2) has judged each node on what it now answers, whatever the pace
 * of a loaded machine. Nodes must run with METRICS_TOKEN = PROBE_METRICS_TOKEN.
 */
export async function afterHealthChecks(nodeUrls: string[], count = 3): Promise<void> {
  const from = await Promise.all(nodeUrls.map(checksAnswered));
  for (;;) {
    const now = await Promise.all(nodeUrls.map(checksAnswered));
    if (now.every((n, i) => n >= from[i]! + count)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
