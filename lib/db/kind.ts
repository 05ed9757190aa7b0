export { databaseKind, describeDatabase, sqliteFile, type DatabaseKind } from './kind.mjs';
