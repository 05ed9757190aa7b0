export function writeAtomically(file: string, content: string | Buffer): void;
