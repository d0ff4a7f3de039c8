/**
 * Starts the built product for the e2e run (Playwright's webServer), isolated from any other
 * instance, and cleans up after it on SIGTERM:
 * - with DATABASE_URL (CI): a fresh database `guichet_e2e_<random>` on that server, with the
 *   demo data (DEMO=true), dropped at the end;
 * - without: an embedded PostgreSQL in a temporary DATA_DIR on EMBEDDED_PG_PORT (54339 by
 *   default, not the 54329 of `npm start`), removed at the end.
 *
 * Emails go to a real local SMTP server (smtp-server + mailparser, tests/helpers/smtp.ts) through
 * the product's SMTP transport (SMTP_URL); the tests read what it received as JSON on
 * http://127.0.0.1:E2E_MAILBOX_PORT/mails (see mailbox.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from '../../server/infra/postgres-driver.ts';
import { startSmtpCapture } from '../helpers/smtp.ts';

const env: NodeJS.ProcessEnv = { ...process.env };
const cleanups: (() => Promise<void>)[] = [];

if (process.env.DATABASE_URL) {
  const name = `guichet_e2e_${randomBytes(5).toString('hex')}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  env.DEMO = 'true';
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  console.info(`e2e : base ${name} créée`);
} else {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'guichet-e2e-'));
  env.DATA_DIR = dataDir;
  env.EMBEDDED_PG_PORT = process.env.E2E_EMBEDDED_PG_PORT || '54339';
  cleanups.push(async () => {
    await stopOrphanPostgres(path.join(dataDir, 'pg'));
    await rm(dataDir, { recursive: true, force: true });
  });
}

/** If the server died without stopping its embedded PostgreSQL, stop it (by the pid it recorded). */
async function stopOrphanPostgres(pgDir: string): Promise<void> {
  const pid = Number(
    (await readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
  );
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

const smtp = await startSmtpCapture();
env.SMTP_URL = smtp.url;
const mailbox = createServer((req, res) => {
  if (req.url !== '/mails') {
    res.writeHead(404).end();
    return;
  }
  const mails = smtp.messages.map((m) => ({
    to: (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address ?? '')),
    subject: m.subject ?? '',
    text: m.text ?? '',
    html: typeof m.html === 'string' ? m.html : '',
    attachments: m.attachments.map((a) => ({
      filename: a.filename ?? '',
      contentType: a.contentType,
      // Text parts (the .ics) in full: tests compare them with what the site serves.
      text: a.contentType.startsWith('text/') ? a.content.toString('utf8') : undefined,
    })),
    date: m.date?.toISOString() ?? null,
  }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ mails }));
});
await new Promise<void>((resolve) =>
  mailbox.listen(Number(process.env.E2E_MAILBOX_PORT || 3108), '127.0.0.1', resolve),
);
cleanups.push(async () => {
  mailbox.close();
  await smtp.close();
});

const server = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'server/main.ts'], {
  env,
  stdio: 'inherit',
});

let exiting = false;
async function exit(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((err: unknown) => console.error('e2e : nettoyage incomplet', err));
  }
  process.exit(code);
}

server.on('exit', (code) => void exit(code ?? 0));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    // The server stops gracefully (embedded PostgreSQL included); cleanup runs on its exit.
    if (server.exitCode === null) server.kill(signal);
    else void exit(0);
  });
}
