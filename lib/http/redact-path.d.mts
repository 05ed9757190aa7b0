/** A request path fit for a log line: link tokens replaced with a placeholder. */
export declare function redactPath(path: string): string;
export declare function carriesSecret(target: string): boolean;
