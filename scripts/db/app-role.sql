-- The role the portal serves PostgreSQL as: ordinary rights on its tables, but on the audit log
-- only INSERT and SELECT, so no bug or injected query in the app can rewrite history. Only the
-- owner (who runs the migrations) can alter the table or its triggers, and the app is not it.
--
-- Run it as the owner of the tables, after `npm run db:migrate`, with the role's name in the
-- setting portal.app_role:   npm run db:app-role -- <role>
--   or: psql "$OWNER_URL" -c "SET portal.app_role = 'portal_app'" -f scripts/db/app-role.sql
-- It creates the role (LOGIN, no password until one is set) when missing, and may be run again.
-- Default privileges cover tables later migrations create; a migration that creates an
-- append-only table must revoke UPDATE, DELETE and TRUNCATE on it from the app role itself.
DO $$
DECLARE
  app  text := current_setting('portal.app_role');
  here text := current_schema();
BEGIN
  IF app IS NULL OR app = '' THEN
    RAISE EXCEPTION 'set portal.app_role to the name of the app''s role first';
  END IF;
  IF app = current_user THEN
    RAISE EXCEPTION 'the app role must not be the owner that runs migrations (%)', app;
  END IF;
  -- PostgreSQL's own roles (pg_read_all_data, pg_monitor…) are held by people and tools meant to read
  -- or watch: granting the app's rights to one gave them all write access (review r34g F5).
  IF app LIKE 'pg\_%' OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app AND oid < 16384) THEN
    RAISE EXCEPTION 'role % is one of PostgreSQL''s own: name a role of the portal''s, e.g. portal_app', app;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', app);
  END IF;
  -- A role that cannot log in is a group: its members, whoever they are, would get the app's rights.
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app AND NOT rolcanlogin) THEN
    RAISE EXCEPTION 'role % cannot log in (a group role): the app serves as a role that logs in', app;
  END IF;
  -- A superuser or table owner passes every privilege check and may disable triggers.
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app AND (rolsuper OR rolbypassrls OR rolreplication)) THEN
    RAISE EXCEPTION 'role % is a superuser (or bypasses checks): the app must not serve as it', app;
  END IF;
  -- Owning a table, or being a member of a role that does, allows ALTER TABLE ... DISABLE TRIGGER.
  IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = here AND pg_has_role(app, tableowner, 'MEMBER')) THEN
    RAISE EXCEPTION 'role % owns (or is a member of the owner of) tables in schema %: the app must be another role', app, here;
  END IF;

  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', here, app);
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', here, app);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', here, app);
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', here, app);
  -- For tables and sequences the current user (the owner) creates in later migrations.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', here, app);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I', here, app);

  -- The audit log: append and read, nothing else (TRUNCATE, TRIGGER and REFERENCES were never granted).
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON %I.%I FROM %I, PUBLIC', here, 'AuditEvent', app);
  -- The migration history is the owner's; the app may only read it.
  IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = here AND tablename = '_prisma_migrations') THEN
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON %I.%I FROM %I', here, '_prisma_migrations', app);
  END IF;
END
$$;
