export declare const SECURITY_HEADERS: Readonly<Record<string, string>>;
export declare const SECRET_LINK_HEADERS: Readonly<Record<string, string>>;
export declare const KEPT_FOR_THE_BUILD: string;
export declare function cacheControlOnTheWire(written: string): string;
export declare const STRICT_TRANSPORT_SECURITY: string;
export declare function strictTransportSecurity(appUrl: string): string | null;
export declare function servedOverHttps(appUrl: string): boolean;
export declare function securityHeadersFor(appUrl: string): Readonly<Record<string, string>>;
