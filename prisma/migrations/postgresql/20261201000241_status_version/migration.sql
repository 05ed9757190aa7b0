-- CreateTable
CREATE TABLE "StatusVersion" (
    "id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StatusVersion_pkey" PRIMARY KEY ("id")
);

-- Added by hand (the diff knows nothing of triggers and functions): the one version row, and a
-- bump after every statement that writes to a table /status is drawn from, whoever writes.
INSERT INTO "StatusVersion" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "StatusVersion_bump"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "StatusComponent_status_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "StatusComponent"
FOR EACH STATEMENT EXECUTE FUNCTION "StatusVersion_bump"();

CREATE TRIGGER "Incident_status_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Incident"
FOR EACH STATEMENT EXECUTE FUNCTION "StatusVersion_bump"();

CREATE TRIGGER "IncidentComponent_status_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "IncidentComponent"
FOR EACH STATEMENT EXECUTE FUNCTION "StatusVersion_bump"();

CREATE TRIGGER "IncidentUpdate_status_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "IncidentUpdate"
FOR EACH STATEMENT EXECUTE FUNCTION "StatusVersion_bump"();

CREATE TRIGGER "MaintenanceWindow_status_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MaintenanceWindow"
FOR EACH STATEMENT EXECUTE FUNCTION "StatusVersion_bump"();

CREATE TRIGGER "MaintenanceComponent_status_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "MaintenanceComponent"
FOR EACH STATEMENT EXECUTE FUNCTION "StatusVersion_bump"();
