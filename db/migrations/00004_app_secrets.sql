-- Secrets the deployment generates itself when the operator gives none (SIGNING_SECRET unset):
-- made once, on the first start, and kept here so that every node and every restart signs the same
-- way (links in emails stay valid). Nothing secret ever comes from the source code.
create table app_secrets (
  name        text primary key,
  value       text not null check (length(value) >= 32),
  created_at  timestamptz not null default now()
);
