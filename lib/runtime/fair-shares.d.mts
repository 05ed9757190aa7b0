export declare const OLDEST_LOOKED_AT: number;
export declare function createFairShares<T>(): {
  size(): number;
  countOf(client: string): number;
  add(client: string, item: T): void;
  release(client: string, item: T): void;
  pushOutFor(client: string): T | undefined;
  pushOutOldestFor(client: string, mayGo?: (item: T) => boolean): T | undefined;
};
