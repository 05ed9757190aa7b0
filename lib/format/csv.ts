/**
 * One CSV cell: always quoted, a date as ISO 8601, nothing as empty. A cell that a spreadsheet
 * would run as a formula (leading =, +, -, @, tab or CR; OWASP "CSV injection"; also after spaces, or
 * full-width, as NFKC reads it) gets a leading apostrophe, so an exported name like `=HYPERLINK(…)`
 * stays text.
 */
export function csvCell(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) || /^[=+\-@]/.test(text.normalize('NFKC').replace(/^[\s\p{Zs}]+/u, '')) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A whole file (RFC 4180): the column names, then one line per row, each line ended by CRLF. */
export function csvDocument(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [columns.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n') + '\r\n';
}
