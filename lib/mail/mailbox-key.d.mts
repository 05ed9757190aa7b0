export declare function mailboxKeyFor(secret: string): string;
export declare function isMailboxKey(secret: string, given: string | undefined): boolean;
