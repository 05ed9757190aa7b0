export declare const COPY_UNTIL_ATTRIBUTE: 'data-portal-copy-until';
export declare const COPY_UNTIL_HEADER: 'X-Portal-Copy-Until';
export declare function copyUntilAttribute(at: string): { 'data-portal-copy-until': string };
