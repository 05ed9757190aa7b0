-- CreateTable
CREATE TABLE "StatusVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- Added by hand (the diff knows nothing of triggers): the one version row, and a bump after every
-- write to a table /status is drawn from, whoever writes. A later SQLite migration that redefines
-- one of these tables (new table, copy, drop, rename) drops its triggers: create them again there.
INSERT INTO "StatusVersion" ("id", "version") VALUES (1, 0);

CREATE TRIGGER "StatusComponent_status_version_insert" AFTER INSERT ON "StatusComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "StatusComponent_status_version_update" AFTER UPDATE ON "StatusComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "StatusComponent_status_version_delete" AFTER DELETE ON "StatusComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Incident_status_version_insert" AFTER INSERT ON "Incident"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Incident_status_version_update" AFTER UPDATE ON "Incident"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "Incident_status_version_delete" AFTER DELETE ON "Incident"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "IncidentComponent_status_version_insert" AFTER INSERT ON "IncidentComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "IncidentComponent_status_version_update" AFTER UPDATE ON "IncidentComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "IncidentComponent_status_version_delete" AFTER DELETE ON "IncidentComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "IncidentUpdate_status_version_insert" AFTER INSERT ON "IncidentUpdate"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "IncidentUpdate_status_version_update" AFTER UPDATE ON "IncidentUpdate"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "IncidentUpdate_status_version_delete" AFTER DELETE ON "IncidentUpdate"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "MaintenanceWindow_status_version_insert" AFTER INSERT ON "MaintenanceWindow"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "MaintenanceWindow_status_version_update" AFTER UPDATE ON "MaintenanceWindow"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "MaintenanceWindow_status_version_delete" AFTER DELETE ON "MaintenanceWindow"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "MaintenanceComponent_status_version_insert" AFTER INSERT ON "MaintenanceComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "MaintenanceComponent_status_version_update" AFTER UPDATE ON "MaintenanceComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;

CREATE TRIGGER "MaintenanceComponent_status_version_delete" AFTER DELETE ON "MaintenanceComponent"
BEGIN
    UPDATE "StatusVersion" SET "version" = "version" + 1 WHERE "id" = 1;
END;
