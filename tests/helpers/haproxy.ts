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
