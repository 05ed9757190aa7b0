export declare function clientAddress(address: string): string;
