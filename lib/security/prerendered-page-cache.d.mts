type Entry = { value?: { kind: string; headers?: Record<string, string> } | null } | null;

/** Next.js's file-system cache whose page entries carry their script-hash policy. */
export default class PrerenderedPageCache {
  constructor(options: Record<string, unknown>);
  get(key: string, ctx: Record<string, unknown>): Promise<Entry>;
  set(key: string, data: unknown, ctx: Record<string, unknown>): Promise<void>;
}
