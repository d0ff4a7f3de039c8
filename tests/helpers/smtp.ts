import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpCapture = {
  /** smtp://127.0.0.1:port, for SMTP_URL. */
  url: string;
  /** Every message accepted, parsed, in arrival order. */
  messages: ParsedMail[];
  /** Messages to one recipient. */
  to(address: string): ParsedMail[];
  /** The next `count` recipients are refused with this SMTP reply (451: try later; 550: never). */
  refuseNext(count: number, code: 451 | 550): void;
  /** Resolves once the accepted messages satisfy `done` (checked now and after each arrival). */
  until(done: (messages: ParsedMail[]) => boolean): Promise<void>;
  close(): Promise<void>;
};

export type SmtpCaptureOptions = {
  /**
   * Runs for each message before the relay answers 250, and the answer waits for it: a slow
   * relay is simulated by moving the tests' injected clock here, so that the sender sees time pass
   * during its send without the test waiting for real time.
   */
  beforeAccept?: (mail: ParsedMail) => void | Promise<void>;
};

/** A real SMTP server on a free local port (smtp-server), whose messages mailparser decodes. */
export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const messages: ParsedMail[] = [];
  let refusals: { code: number }[] = [];
  let waiters: { done: (messages: ParsedMail[]) => boolean; resolve: () => void }[] = [];
  const notify = () => {
    const ready = waiters.filter((w) => w.done(messages));
    waiters = waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.shift();
      if (!refusal) return callback();
      const err = Object.assign(new Error(`Boîte ${address.address} indisponible`), {
        responseCode: refusal.code,
      });
      return callback(err);
    },
    onData(stream, _session, callback) {
      // Parsed before the 250 reply: when the sender's promise resolves, the message is here.
      simpleParser(stream)
        .then(async (mail) => {
          await options.beforeAccept?.(mail);
          messages.push(mail);
          notify();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const recipients = (m: ParsedMail) =>
    (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) =>
      a.value.map((v) => v.address?.toLowerCase()),
    );
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => recipients(m).includes(address.toLowerCase())),
    refuseNext(count, code) {
      refusals = refusals.concat(Array.from({ length: count }, () => ({ code })));
    },
    until(done) {
      if (done(messages)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push({ done, resolve });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
