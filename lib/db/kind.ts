export { databaseKind, type DatabaseKind } from './kind.mjs';
