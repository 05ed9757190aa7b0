export type DatabaseKind = 'sqlite' | 'postgresql';
export declare function databaseKind(url: string): DatabaseKind;
/** A SQLite URL's file, as the app opens it: relative to the working directory, without a `?query`. */
export declare function sqliteFile(url: string): string;
/** The database URL without credentials: kind, host and database name. */
export declare function describeDatabase(url: string): string;
