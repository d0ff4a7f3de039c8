-- The agents' space: sign-in, habilitations in use, and an audit log that says what changed.

-- An agent created by a head of office gets a first password he must change at first sign-in.
alter table agents add column must_change_password boolean not null default false;

-- Expired sessions are found (and purged) by their expiry.
create index sessions_expires_idx on sessions (expires_at);

-- The audit log keeps what a change replaced and what it wrote (never personal data: ids, codes,
-- dates, states), beside the free `details`.
alter table audit_log add column before jsonb;
alter table audit_log add column after jsonb;
create index audit_log_agent_at_idx on audit_log (agent_id, at) where agent_id is not null;

-- The dashboard lists an agent's services; a service's agents are listed for its head.
create index habilitations_service_idx on habilitations (service_id);
