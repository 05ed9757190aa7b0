export declare function createRouteLabeler(manifestPath: string): (url: string) => string;
