export declare function clientAddress(address: string): string;
export declare function forwardedAddress(entry: string): string | null;
