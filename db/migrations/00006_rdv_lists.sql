-- Liste des RDV and Rechercher les RDV: keyset pages by start, and usager names found whatever
-- their accents and case.

create extension if not exists unaccent;
create extension if not exists pg_trgm;

-- unaccent() is only STABLE (its dictionary could change), and an index needs an IMMUTABLE
-- expression: this wrapper names the dictionary, which is what makes folding repeatable.
create or replace function guichet_fold(text) returns text
  language sql immutable parallel safe strict
  as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Prefix (and substring) search on the names an agent hears on the phone.
create index usagers_nom_usage_fold_idx on usagers using gin (guichet_fold(nom_usage) gin_trgm_ops);
create index usagers_nom_naissance_fold_idx on usagers using gin (guichet_fold(nom_naissance) gin_trgm_ops);
create index usagers_raison_sociale_fold_idx on usagers using gin (guichet_fold(raison_sociale) gin_trgm_ops);

-- Pages of the list, sorted by start then id (the keyset), one service or several.
create index rdvs_service_start_idx on rdvs (service_id, lower(during), id);
-- A code is exact: the agent reads it from the citizen's email.
create index rdvs_code_idx on rdvs (code);
