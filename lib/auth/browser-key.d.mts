export declare const BROWSER_KEY_MAX_AGE_SECONDS: number;
export declare const SIGN_IN_PAGES: Set<string>;
export declare function browserKeyCookieName(secure: boolean): string;
export declare function newBrowserKey(): string;
export declare function isBrowserKey(value: string | undefined): value is string;
export declare function browserKeyCookie(secure: boolean): string;
export declare function holdsBrowserKey(cookieHeader: string | undefined, secure: boolean): boolean;
export declare function browserKeyDigest(value: string): string;
