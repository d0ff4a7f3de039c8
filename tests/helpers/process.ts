import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** How a node starts: here, in `npm run serve`, and in the Dockerfile's CMD (tests/integration/containers.test.ts). */
export const NODE_ARGS = ['--disable-warning=ExperimentalWarning', 'server/main.ts'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export type NodeProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the node printed so far (for a failing test to say why). */
  output(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
};

/** Starts `node server/main.ts` and resolves once /readyz answers 200. */
export function startNode(env: Record<string, string>): Promise<NodeProcess> {
  return startScript(NODE_ARGS, env);
}

/** Starts a Node script of the project on a free port (PORT) and waits for its /readyz. */
export async function startScript(args: string[], env: Record<string, string>): Promise<NodeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      CAPTCHA_REQUIRED: 'false',
      RATE_LIMIT_HOLDS_PER_MINUTE: '100000',
      RATE_LIMIT_BOOKINGS_PER_HOUR: '100000',
      ...env,
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
  let stopping = false;
  // A node that dies by itself during a test says why (its last output), or the failure is a mystery.
  child.once('exit', (code, signal) => {
    if (!stopping && (code !== 0 || signal))
      console.error(`le nœud ${url} s’est arrêté (${code ?? signal}) :\n${output.slice(-4000)}`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`le nœud s’est arrêté : ${output}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`le nœud n’est pas prêt après 60 s : ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url,
    port,
    child,
    output: () => output,
    stop: () => ended('SIGTERM'),
    kill: () => ended('SIGKILL'),
  };
}
