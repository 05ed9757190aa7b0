export type DatabaseKind = 'sqlite' | 'postgresql';
export declare function databaseKind(url: string): DatabaseKind;
