export declare const CSP_HEADER: 'Content-Security-Policy';
export declare function newNonce(): string;
export declare function noncePolicy(nonce: string, options: { dev: boolean }): string;
export declare function inlineScriptHashes(html: string): string[];
export declare function hashPolicy(html: string, options: { dev: boolean }): string;
