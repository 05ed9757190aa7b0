// Text a stranger types that staff will read (a help request's message, a super admin's reason, a
// verifier's notes): one rule for what it may hold, and one way it is tidied.

/**
 * Control and format characters hide or reorder what staff read (zero-width, bidi overrides), and let
 * two identifiers look the same while differing; line and paragraph separators break lines where the
 * quoting does not see them; lone surrogates are no text (nor UTF-8).
 */
const HIDDEN = String.raw`\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}`;
const HIDDEN_ON_ONE_LINE = new RegExp(`[${HIDDEN}]`, 'u');
// Paragraphs keep their line breaks and tabs (tabs become spaces), and the zero-width joiner emoji are typed with.
const HIDDEN_IN_PARAGRAPHS = new RegExp(String.raw`(?![\n\t\u200D])[${HIDDEN}]`, 'u');

/** `one line`: a name, an identifier, an address; `paragraphs`: a message or a reason. */
export function hasHiddenCharacters(text: string, shape: 'one line' | 'paragraphs'): boolean {
  return (shape === 'one line' ? HIDDEN_ON_ONE_LINE : HIDDEN_IN_PARAGRAPHS).test(text);
}

// Writing stacks a few marks on a letter (Vietnamese two, pointed Hebrew or Tibetan up to four or five);
// dozens stacked draw over the lines and table rows around the text (staff read it in the console).
const STACKED_MARKS = /\p{M}{6,}/u;

export function hasStackedMarks(text: string): boolean {
  return STACKED_MARKS.test(text);
}

// A scheme, "www.", or a host name (labels, a dot, letters): what a mail client turns into a link.
// NFKC first, so full-width dots and letters are read as the ones they look like.
const WEB_ADDRESS = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}-])/iu;

/**
 * Whether the text holds a web or e-mail address. Words that vendor staff write to an address on record
 * (a rejection's reason, a question) name no site or inbox: the mail's only link is the portal's own,
 * and one verifier must not be able to send a customer anywhere else in CareNotes' name.
 */
export function hasWebAddress(text: string): boolean {
  return WEB_ADDRESS.test(text.normalize('NFKC'));
}

/** Said after a field's label when hasWebAddress. */
export const WEB_ADDRESS_MESSAGE =
  'must not contain a web or e-mail address: the mail already links to CareNotes, and the requester is reached only through the contact details on record';

/** Said after a field's label when hasStackedMarks. */
export const STACKED_MARKS_MESSAGE = 'has a letter with more accents or marks on it than any language uses. Type it in rather than pasting it';

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
