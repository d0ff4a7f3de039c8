-- Personal data is kept for a limited time (RETENTION_MONTHS): a daily job anonymises the usagers
-- of old rdvs and purges what no longer serves. Statistics never read personal data, so they stay
-- equal.

alter table usagers add column anonymised_at timestamptz;

-- Scheduled jobs run once across nodes: a node takes a due job by leasing it (locked_until), runs
-- it, then dates the next run. A node that dies mid-run leaves a lease that runs out.
create table jobs (
  name          text primary key,
  next_run_at   timestamptz not null,
  locked_until  timestamptz,
  last_run_at   timestamptz,
  last_result   jsonb
);

create index rdvs_upper_during_idx on rdvs (upper(during));
create index audit_log_at_idx on audit_log (at);
