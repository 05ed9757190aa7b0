export function exportStatusPage(input: { html: string; css: Map<string, string>; appUrl: string; takenAt: Date }): { html: string };
