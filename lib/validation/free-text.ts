// Text a stranger types that staff will read (a help request's message, a super admin's reason, a
// verifier's notes): one rule for what it may hold, and one way it is tidied.

/**
 * Control and format characters hide or reorder what staff read (zero-width, bidi overrides); line and
 * paragraph separators break lines where the quoting does not see them; lone surrogates are no text.
 * Line breaks and tabs stay (tabs become spaces), and so does the zero-width joiner emoji are typed with.
 */
const HIDDEN_IN_FREE_TEXT = /(?![\n\t\u200D])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN_IN_FREE_TEXT.test(text);
}

/**
 * Line breaks as "\n"; every run of spaces of any kind (tabs, no-break, em or ideographic spaces) as
 * one space; none at a line's ends; at most one blank line in a row. A run of wide spaces let a
 * stranger choose where a reader's mail client broke a line, and start a line that was not quoted.
 */
export function tidyFreeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\p{Zs}]+/gu, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line of typed text (a name, a phone number, a login name): every run of spaces of any kind as one space, none at the ends. */
export function oneLine(text: string): string {
  return text.replace(/[\t\p{Zs}]+/gu, ' ').trim();
}
