-- The outbox worker: several nodes claim due rows, send them, and give up after too many failures.

-- A node that claims a row leases it until locked_until, so that a send in progress (outside any
-- transaction: SMTP or HTTP can take seconds) is not picked up by another node. A crashed node's
-- lease simply runs out and the row is claimed again; the transport's idempotency key covers that.
alter table outbox add column locked_until timestamptz;
-- Set when the worker gave up (too many attempts): kept for inspection, never retried by itself.
alter table outbox add column failed_at timestamptz;

drop index outbox_due_idx;
create index outbox_due_idx on outbox (run_at) where sent_at is null and cancelled_at is null and failed_at is null;

-- Emails kept by the default, local transport (no RESEND_API_KEY nor SMTP_URL): the demo shows them
-- at /dev/mails. One row per idempotency key, so a repeated send stores nothing twice.
create table local_mails (
  id               bigserial primary key,
  idempotency_key  text not null unique,
  to_address       text not null,
  subject          text not null,
  text             text not null,
  html             text not null,
  attachments      jsonb not null default '[]',   -- [{filename, contentType, size}]: names only, not contents
  sent_at          timestamptz not null
);
create index local_mails_sent_at_idx on local_mails (sent_at desc, id desc);
