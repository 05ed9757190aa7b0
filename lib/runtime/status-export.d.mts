export function exportStatusPage(input: { html: string; css: Map<string, string>; appUrl: string; takenAt: Date }): { html: string };
export function readSnapshot(dir: string): { body: Buffer; takenAt: string; feed: Buffer | undefined } | undefined;
export function writeSnapshot(dir: string, snapshot: { html: string; feed?: Buffer | string; takenAt: Date; now?: number }): boolean;
