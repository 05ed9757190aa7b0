/** What a form needs from an action's result to say what went wrong. */
export type FormResult = { ok: boolean; message?: string; fieldErrors?: Record<string, string[] | undefined> };
export type SummaryEntry = { field?: string; message: string };

/** The error summary's entries from an action's result: one per field message, or the general message. */
export function summaryOf(state: FormResult, order: readonly string[] = []): SummaryEntry[] {
  const fieldErrors = state.fieldErrors ?? {};
  const fields = [...order.filter((f) => f in fieldErrors), ...Object.keys(fieldErrors).filter((f) => !order.includes(f))];
  const summary: SummaryEntry[] = fields.flatMap((field) => (fieldErrors[field] ?? []).map((message) => ({ field, message })));
  if (summary.length === 0 && !state.ok && state.message) summary.push({ message: state.message });
  return summary;
}
