-- The "Contact" cascade of the public site (Particulier / Professionnel → "Votre demande concerne"
-- → "Au sujet de" → "Plus précisément"), loaded from db/seed/contact-reasons.ts with the referential.
-- Keyed by a stable code rather than a serial: pages link to a reason by its code, and a reload
-- must not change it. Only leaves carry faq, service_kinds and the rest (branches have nulls).
-- Numbered 00003 so that it never clashes with a concurrent 00002.

create table contact_reasons (
  code              text primary key check (code ~ '^[a-z0-9-]{1,80}$'),
  audience          text not null check (audience in ('particulier','professionnel')),
  parent_code       text references contact_reasons(code) on delete cascade,
  label             text not null,
  position          integer not null default 0,
  faq               jsonb check (faq is null or jsonb_typeof(faq) = 'array'),   -- [{question, answer?, url?}]
  online_procedure  jsonb check (online_procedure is null or jsonb_typeof(online_procedure) = 'object'),  -- {label, url}
  service_kinds     text[] check (service_kinds <@ array['SIP','SIE','CDIF','SIP-CDIF','TRESORERIE','DGE','DRESG']::text[]),
  motif_code        text references motifs(code),   -- motif the booking wizard preselects
  abroad            boolean not null default false,   -- leads to the DRESG with no address to search
  check ((faq is null) = (service_kinds is null))
);
create index contact_reasons_tree_idx on contact_reasons (audience, parent_code, position);
