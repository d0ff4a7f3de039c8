import nodemailer from 'nodemailer';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/**
 * Email transports. The outbox worker (server/app/outbox-worker.ts) decides what to send and when;
 * a transport only delivers one message. Three transports, chosen by configuration:
 * Resend over HTTP (RESEND_API_KEY), an SMTP relay (SMTP_URL, for on-premise deployments), and by
 * default a local table that the demo shows at /dev/mails.
 */

export type MailAttachment = { filename: string; content: string | Buffer; contentType: string };

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
  /** One per (rdv, kind): the transport delivers a key at most once when it can tell. */
  idempotencyKey: string;
};

export interface Mailer {
  readonly transport: 'resend' | 'smtp' | 'local';
  send(mail: Mail): Promise<{ id: string }>;
  close(): Promise<void>;
}

/**
 * A delivery failure. `permanent` when retrying the same message cannot succeed (the provider
 * refused its content or its address): the worker then gives up at once instead of backing off.
 */
export class MailError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent = false) {
    super(message);
    this.name = 'MailError';
    this.permanent = permanent;
  }
}

// Well below the worker's lease (5 min), so that a hung connection cannot outlive the lease and
// let another node send the same message.
const SEND_TIMEOUT_MS = 30_000;

const asBuffer = (c: string | Buffer) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c);

/** Resend's HTTP API: POST /emails, with its Idempotency-Key header (honoured for 24 hours). */
export function resendMailer(options: { apiKey: string; apiUrl: string; from: string }): Mailer {
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}/emails`;
  return {
    transport: 'resend',
    async send(mail) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            'content-type': 'application/json',
            // Resend accepts 256 characters at most; our keys are far shorter.
            'idempotency-key': mail.idempotencyKey.slice(0, 256),
          },
          body: JSON.stringify({
            from: options.from,
            to: [mail.to],
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            ...(mail.attachments?.length
              ? {
                  attachments: mail.attachments.map((a) => ({
                    filename: a.filename,
                    content: asBuffer(a.content).toString('base64'),
                    content_type: a.contentType,
                  })),
                }
              : {}),
          }),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (err) {
        throw new MailError(`Resend injoignable : ${(err as Error).message}`);
      }
      const body = (await res.json().catch(() => ({}))) as {
        id?: unknown;
        message?: unknown;
        name?: unknown;
      };
      if (!res.ok) {
        // 400/422: the message itself is refused (bad address…); anything else may pass later
        // (429 rate limit, 5xx, or 401/403 until the operator fixes the key or the domain).
        const permanent = res.status === 400 || res.status === 422;
        throw new MailError(
          `Resend a répondu ${res.status} : ${String(body.name ?? '')} ${String(body.message ?? '')}`.trim(),
          permanent,
        );
      }
      if (typeof body.id !== 'string') throw new MailError('Resend a répondu sans identifiant de message.');
      return { id: body.id };
    },
    async close() {},
  };
}

/** Any SMTP relay, via nodemailer (smtp:// or smtps://, credentials in the URL). */
export function smtpMailer(options: { url: string; from: string }): Mailer {
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'guichet.localhost';
  return {
    transport: 'smtp',
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments: mail.attachments?.map((a) => ({
            filename: a.filename,
            content: asBuffer(a.content),
            contentType: a.contentType,
          })),
          // SMTP cannot refuse a duplicate by itself: a stable Message-ID lets mail clients drop a
          // resend after a crash, and relays run by Resend honour their idempotency header.
          messageId: `<${mail.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '.')}@${domain}>`,
          headers: { 'Resend-Idempotency-Key': mail.idempotencyKey },
        });
        return { id: info.messageId };
      } catch (err) {
        const e = err as Error & { responseCode?: number };
        // 5xx replies to a recipient are final (unknown mailbox…); 4xx and network errors are not.
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
        throw new MailError(`SMTP : ${e.message}`, permanent);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** What the local transport keeps of an email: attachments by name and size only. */
export type LocalMailRecord = Omit<Mail, 'attachments'> & {
  attachments: { filename: string; contentType: string; size: number }[];
  sentAt: Date;
};

/** Stores one kept email and answers its row id; the same idempotency key stores nothing new. */
export type KeepLocalMail = (mail: LocalMailRecord) => Promise<number>;

/**
 * The default transport: nothing leaves the machine; each email is handed to `keep`
 * (server/store/local-mails.ts, given by the composition root, so that infra holds no SQL) and
 * the demo shows it at /dev/mails.
 */
export function localMailer(keep: KeepLocalMail, clock: Clock): Mailer {
  return {
    transport: 'local',
    async send(mail) {
      const id = await keep({
        ...mail,
        attachments: (mail.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          size: asBuffer(a.content).length,
        })),
        sentAt: clock.now(),
      });
      return { id: `local-${id}` };
    },
    async close() {},
  };
}

/** Picks the transport from the configuration: Resend, else SMTP, else the local table. */
export function createMailer(
  config: Config,
  deps: { keepLocal: KeepLocalMail; clock: Clock; log: Logger },
): Mailer {
  if (config.resendApiKey) {
    deps.log.info({ url: config.resendApiUrl }, 'courriels envoyés par Resend');
    return resendMailer({ apiKey: config.resendApiKey, apiUrl: config.resendApiUrl, from: config.mailFrom });
  }
  if (config.smtpUrl) {
    deps.log.info({ host: new URL(config.smtpUrl).host }, 'courriels envoyés par SMTP');
    return smtpMailer({ url: config.smtpUrl, from: config.mailFrom });
  }
  const where = config.demo ? 'visibles sur /dev/mails' : 'visibles seulement en mode démonstration';
  // In production this means citizens receive nothing: say it loudly.
  deps.log[config.production ? 'warn' : 'info'](
    `sans RESEND_API_KEY ni SMTP_URL : courriels conservés localement, ${where}`,
  );
  return localMailer(deps.keepLocal, deps.clock);
}
