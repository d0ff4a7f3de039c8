-- Guichet: the whole domain's tables. Later migrations add behaviour, not new concepts.
-- Times are timestamptz; local rules (Europe/Paris or the service's zone) live in server/domain.

create extension if not exists btree_gist;

-- Offices (services) and their national identity.
create table services (
  id                 serial primary key,
  code_principal     char(7) not null unique check (code_principal ~ '^[0-9]{7}$'),   -- SAGES
  code_associe       char(6) unique check (code_associe ~ '^[0-9]{6}$'),              -- CODIQUE
  kind               text not null check (kind in ('SIP','SIE','CDIF','SIP-CDIF','TRESORERIE','SPL','AMENDE','DGE','DRESG')),
  name               text not null,
  street             text not null default '',
  postcode           text not null default '',
  city               text not null default '',
  departement        text,                      -- INSEE code of the département (null for national services)
  phone              text,
  email              text,
  hours              text,                      -- public opening hours, as shown to usagers
  time_zone          text not null default 'Europe/Paris',
  holiday_calendar   text not null default 'metropole'
                     check (holiday_calendar in ('metropole','alsace-moselle','guadeloupe','martinique','guyane','reunion','mayotte')),
  rdv_duration_minutes integer not null default 20 check (rdv_duration_minutes between 5 and 240),
  active             boolean not null default false,   -- rdv offer opened by the head of office
  self_cancellation  boolean not null default true,    -- usagers may cancel from the email link
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
create index services_kind_idx on services (kind);

-- Counters of a service.
create table guichets (
  id                        serial primary key,
  service_id                integer not null references services(id) on delete cascade,
  name                      text not null,
  open                      boolean not null default true,
  allows_physique           boolean not null default true,
  allows_telephone          boolean not null default false,
  bookable_internet         boolean not null default false,
  bookable_agent_exterieur  boolean not null default false,
  bookable_agent_service    boolean not null default true,
  position                  integer not null default 0,
  created_at                timestamptz not null default now(),
  unique (service_id, name),
  check (allows_physique or allows_telephone)
);
create index guichets_service_idx on guichets (service_id);

-- Weekly opening windows of a guichet.
create table plages (
  id          serial primary key,
  guichet_id  integer not null references guichets(id) on delete cascade,
  weekday     smallint not null check (weekday between 1 and 7),   -- ISO: 1 = lundi
  start_time  time not null,
  end_time    time not null,
  valid_from  date,
  valid_to    date,
  check (end_time > start_time),
  check (valid_to is null or valid_from is null or valid_to >= valid_from)
);
create index plages_guichet_idx on plages (guichet_id);

-- Exceptional closures: the whole service (guichet_id null) or one guichet.
create table fermetures (
  id          serial primary key,
  service_id  integer not null references services(id) on delete cascade,
  guichet_id  integer references guichets(id) on delete cascade,
  during      tstzrange not null check (not isempty(during)),
  reason      text not null default ''
);
create index fermetures_service_idx on fermetures using gist (service_id, during);

-- National two-level referential of motifs, per kind of service.
create table motifs (
  id            serial primary key,
  code          text not null unique,              -- stable key of the referential (seed idempotency)
  service_kind  text not null,
  parent_id     integer references motifs(id) on delete cascade,
  label         text not null,
  documents     text not null default '',          -- documents to bring
  position      integer not null default 0,
  active        boolean not null default true
);
create index motifs_kind_idx on motifs (service_kind, parent_id);

-- Which motifs each guichet offers.
create table guichet_motifs (
  guichet_id  integer not null references guichets(id) on delete cascade,
  motif_id    integer not null references motifs(id) on delete cascade,
  primary key (guichet_id, motif_id)
);

-- Administrative referential of communes (INSEE) and their postcodes.
create table communes (
  code_insee      char(5) primary key,
  nom             text not null,
  departement     text not null,
  arrondissement  text,
  codes_postaux   text[] not null default '{}'
);
create index communes_postaux_idx on communes using gin (codes_postaux);

-- Sectorisation: which service of a kind is competent for a commune, optionally for some streets.
-- A row with voies = null is the commune's default; a row with voies lists normalised street
-- names (see server/domain) that go to another service (e.g. Caen Nord / Caen Sud).
create table sectorisation (
  id            serial primary key,
  code_insee    char(5) not null references communes(code_insee) on delete cascade,
  service_kind  text not null,
  voies         text[],
  service_id    integer not null references services(id) on delete cascade
);
create unique index sectorisation_default_uq on sectorisation (code_insee, service_kind) where voies is null;
create index sectorisation_commune_idx on sectorisation (code_insee, service_kind);

-- Citizens and companies who book.
create table usagers (
  id              bigserial primary key,
  type            text not null check (type in ('particulier','professionnel')),
  civilite        text not null check (civilite in ('M','MME')),
  nom_usage       text not null,
  nom_naissance   text,
  prenoms         text not null,
  date_naissance  date,
  numero_fiscal   char(13) check (numero_fiscal ~ '^[0-9]{13}$'),
  siren           char(9) check (siren ~ '^[0-9]{9}$'),
  raison_sociale  text,
  telephones      text[] not null check (cardinality(telephones) between 1 and 2),
  rappel          text[] not null default '{}',
  email           text,
  created_at      timestamptz not null default now()
);
create index usagers_numero_fiscal_idx on usagers (numero_fiscal) where numero_fiscal is not null;
create index usagers_siren_idx on usagers (siren) where siren is not null;

-- Staff.
create table agents (
  id             serial primary key,
  login          text not null unique,
  display_name   text not null,
  email          text,
  password_hash  text not null,
  administrateur boolean not null default false,
  active         boolean not null default true,
  created_at     timestamptz not null default now()
);

-- Habilitation: a profile on a service; the set of services is the agent's zone de compétence.
create table habilitations (
  agent_id    integer not null references agents(id) on delete cascade,
  service_id  integer not null references services(id) on delete cascade,
  profile     text not null check (profile in ('chef','agent','consultation')),
  primary key (agent_id, service_id)
);

create table sessions (
  id            text primary key,                  -- sha-256 of the token; the token itself is never stored
  agent_id      integer not null references agents(id) on delete cascade,
  created_at    timestamptz not null default now(),
  expires_at    timestamptz not null,
  last_seen_at  timestamptz not null default now()
);
create index sessions_agent_idx on sessions (agent_id);

-- Appointments. The exclusion constraint is THE guard against double booking.
create table rdvs (
  id                      bigserial primary key,
  code                    char(6) not null check (code ~ '^[A-Z]{6}$'),
  service_id              integer not null references services(id),
  guichet_id              integer not null references guichets(id),
  motif_id                integer not null references motifs(id),
  usager_id               bigint not null references usagers(id),
  type                    text not null check (type in ('physique','telephone')),
  during                  tstzrange not null check (not isempty(during) and lower_inc(during) and not upper_inc(during)),
  canal                   text not null check (canal in ('internet','agentExterieur','agentService')),
  status                  text not null default 'confirme' check (status in ('confirme','annule')),
  active                  boolean generated always as (status = 'confirme') stored,
  precisions              text not null default '',
  arrived_at              timestamptz,
  contre_appel_date       date,
  contre_appel_comment    text,
  contre_appel_annulation boolean,
  cancelled_at            timestamptz,
  cancel_reason           text,
  created_by_agent_id     integer references agents(id),
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  constraint rdvs_no_overlap exclude using gist (guichet_id with =, during with &&) where (active),
  check ((status = 'annule') = (cancelled_at is not null))
);
create unique index rdvs_active_code_uq on rdvs (code) where active;
create index rdvs_service_during_idx on rdvs using gist (service_id, during);
create index rdvs_usager_idx on rdvs (usager_id);

-- Idempotency of public POSTs (Idempotency-Key header).
create table idempotency_keys (
  key           text primary key,
  request_hash  text not null,
  status        integer not null,
  response      jsonb not null,
  created_at    timestamptz not null default now()
);

-- Who did what, for every agent action and every booking.
create table audit_log (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  actor       text not null check (actor in ('usager','agent','system')),
  agent_id    integer references agents(id),
  action      text not null,
  service_id  integer references services(id),
  rdv_id      bigint references rdvs(id),
  details     jsonb not null default '{}'
);
create index audit_log_rdv_idx on audit_log (rdv_id);
create index audit_log_service_at_idx on audit_log (service_id, at);

-- Durable outbox for emails and reminders, written in the booking transaction.
create table outbox (
  id               bigserial primary key,
  kind             text not null,                  -- confirmation, rappel, annulation, replanification…
  idempotency_key  text not null unique,           -- (rdv, kind): sent at most once
  rdv_id           bigint references rdvs(id) on delete cascade,
  payload          jsonb not null default '{}',
  run_at           timestamptz not null default now(),
  attempts         integer not null default 0,
  last_error       text,
  sent_at          timestamptz,
  cancelled_at     timestamptz,
  created_at       timestamptz not null default now()
);
create index outbox_due_idx on outbox (run_at) where sent_at is null and cancelled_at is null;

-- Which referential data set is loaded (seed idempotency).
create table referential_versions (
  name        text primary key,
  checksum    text not null,
  loaded_at   timestamptz not null default now()
);
