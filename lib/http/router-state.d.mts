export declare const ROUTER_STATE_HEADER: string;
export declare function isSoundRouterState(value: string | string[] | undefined): boolean;
