import type { IncomingMessage, ServerResponse } from 'node:http';

export const NO_SUCH_PAGE: string;
export const FROM_MEMORY_HEADER: string;
export const RENDERED_AT_HEADER: string;
/** How often a live page asks whether the status changed. */
export const POLL_MS: number;

export function createPagesInMemory(options: {
  host: string;
  port: number;
  dev: boolean;
  appUrl: string;
  exportDir?: string;
  log?: Pick<import('pino').Logger, 'warn'>;
}): {
  answer(request: IncomingMessage, response: ServerResponse, ownHeaders?: Record<string, string>): boolean;
  isOwnFetch(request: IncomingMessage): boolean;
  keepPrerendered(pathname: string): Promise<void>;
  keepNotFound(): Promise<void>;
  answerNotFound(request: IncomingMessage, response: ServerResponse): void;
  keepLive(
    pathname: string,
    options: { versionPath: string; feedPath?: string; exported?: 'page' | 'feed'; query?: 'ignored' | 'none'; onFailure?: 'keep' | 'drop'; settleMs?: number; type?: 'html' | 'json' | 'atom' },
  ): void;
  stop(): void;
};
