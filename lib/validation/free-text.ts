import topLevelDomains from 'tlds' with { type: 'json' };
import type { z } from 'zod';

// Text a stranger types that staff will read (a help request's message, a super admin's reason, a
// verifier's notes): one rule for what it may hold, and one way it is tidied.

/**
 * What shows nothing, or other than it holds, where staff read it: control and format characters
 * (zero-width, direction marks and overrides: "02:00 - 04:00" shown as "04:00 - 02:00"), which also let
 * two identifiers look the same while differing; line and paragraph separators, which break lines where
 * the quoting does not see them; lone surrogates and noncharacters (no text, nor UTF-8, nor XML 1.0 for
 * the feed); private-use characters (no two fonts draw them alike); and what draws nothing though it is
 * no control ("ㅤ" Hangul fillers, the combining grapheme joiner, a stray variation selector, the blank
 * braille pattern; reviews r25b, r35a F3). One rule for every text a person types for others to read.
 */
const HIDDEN = String.raw`\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Noncharacter_Code_Point}\p{Default_Ignorable_Code_Point}\u2800`;
// And what is no character yet (review r35c F8), but for the code points Unicode keeps for emoji: a
// phone's newest emoji is one of them to a server whose Unicode is older, and there is no telling the two apart.
const UNASSIGNED = String.raw`(?!\p{Extended_Pictographic})\p{Cn}`;
const HIDDEN_ON_ONE_LINE = new RegExp(`[${HIDDEN}]|${UNASSIGNED}`, 'u');
// Paragraphs keep their line breaks and tabs (tabs become spaces).
const HIDDEN_IN_PARAGRAPHS = new RegExp(String.raw`(?![\n\t])[${HIDDEN}]|${UNASSIGNED}`, 'u');
/** A code point Unicode has not assigned yet, pictographs' kept ranges excepted (as above): for the password rules too. */
export const UNASSIGNED_CODE_POINT = new RegExp(UNASSIGNED, 'u');
// ...except where writing needs them, taken out before the check:
// - in every text, the joiner and variation selector inside an emoji ("👩‍💻", "⚠️", "1️⃣");
const EMOJI_GLUE = /(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic})|(?<=\p{Extended_Pictographic})\uFE0F|\uFE0F(?=\u20E3)/gu;
// - in names and paragraphs, an emoji asked to be drawn as text (U+FE0E), and the three region flags
//   Unicode draws (England, Scotland, Wales: 🏴, the tags "gbeng", "gbsct" or "gbwls", a cancel tag).
//   Matched forwards, whole: a run of tags looked back over took time growing with its square, and any
//   other run after a flag is text no one sees (reviews r36d F1, r36e F3);
const WRITTEN_EMOJI = /(?<=\p{Extended_Pictographic})\uFE0E|(?<=\u{1F3F4})\u{E0067}\u{E0062}(?:\u{E0065}\u{E006E}\u{E0067}|\u{E0073}\u{E0063}\u{E0074}|\u{E0077}\u{E006C}\u{E0073})\u{E007F}/gu;
// - in names and paragraphs, the joiners and soft hyphen between letters (Persian "علی‌رضا", typed with
//   Shift+Space; Sinhala "ශ්‍රී"), and the joiner right after a letter before its mark (Bengali "র‍্য"; one
//   after a mark would hide a stack of them from hasStackedMarks; reviews r25d, r35c F8, r36d F4, r36e F2),
//   and Malayalam's older spelling of a chillu: a letter, its virama, a joiner, at the end of a word ("അവന്‍");
const LETTER_GLUE = /(?<=[\p{L}\p{M}])[\u200C\u200D\u00AD](?=\p{L})|(?<=\p{L})\u200D(?=\p{M})|(?<=\p{L}\u0D4D)(?<=\p{Script=Malayalam}\u0D4D)\u200D(?!\p{M})/gu;
// - in every text, the selectors a script's writing uses: ideographic variants of a Han character (names
//   written with a family's own form of it), Mongolian's free variation selectors (review r35c F8).
// An identifier takes only the first and the last: two that look alike would differ (review r36d F2).
const SCRIPT_GLUE = /(?<=\p{Script=Han})[\u{E0100}-\u{E01EF}\uFE00-\uFE0E]|(?<=\p{Script=Mongolian})[\u180B-\u180D\u180F]/gu;

/**
 * What a text is: `identifier`, one line that is matched or looked up (a login name, a provider code, an
 * address, a reference), where a joiner would make two that look alike differ; `name`, one line people
 * read (a person's name, a job title, an incident's title); `paragraphs`, a message or a reason.
 */
export type TextShape = 'identifier' | 'name' | 'paragraphs';
export type OneLineShape = Exclude<TextShape, 'paragraphs'>;

export function hasHiddenCharacters(text: string, shape: TextShape): boolean {
  const glued = text.replace(EMOJI_GLUE, '').replace(SCRIPT_GLUE, '');
  if (shape === 'identifier') return HIDDEN_ON_ONE_LINE.test(glued);
  const written = glued.replace(WRITTEN_EMOJI, '').replace(LETTER_GLUE, '');
  return (shape === 'name' ? HIDDEN_ON_ONE_LINE : HIDDEN_IN_PARAGRAPHS).test(written);
}

// Writing stacks a few marks on a letter (Vietnamese two, pointed Hebrew or Tibetan up to four or five);
// dozens stacked draw over the lines and table rows around the text (staff read it in the console).
const STACKED_MARKS = /\p{M}{6,}/u;

export function hasStackedMarks(text: string): boolean {
  return STACKED_MARKS.test(text);
}

// The pieces of an address, each bounded: the text is read after NFKC, which can make it six times
// longer ("㌖" is "キロメートル"), and an unbounded run made each start of the scan read to its end
// (seconds for an operator's 5,000 characters). Bounded, every start reads at most a host's length.
// A label is what a linkifier takes for one: letters, digits, marks, symbols (emoji: "i❤.ws", "a🏽.ws"),
// dashes and underscores, at most 63 (DNS); up to 16 labels before the last.
const LABEL = String.raw`(?:[^\s\p{P}\p{C}]|[\p{Pd}\p{Pc}\u303D]){1,63}`;
const LABELS = String.raw`(?:${LABEL}\.){1,16}`;
// A scheme or "www." with what follows it up to a space (bounded too), so that a refusal names the address.
const SCHEME = String.raw`[a-z][a-z0-9+.-]{0,31}:\/\/\S{0,64}`;
const WWW = String.raw`\bwww\.\S{0,64}`;
const IPV4 = String.raw`(?<!\d)\d{1,3}(?:\.\d{1,3}){3}(?!\d)`;
// A Windows network path ("\\host\share", any host: a bare name, a decimal IPv4, "host@SSL") or a file:
// link written with slashes either way: mail programs on Windows link them, and one click sends the
// reader's Windows sign-in to that host (review r33a S1). "The number on file: no answer" is no link.
const NETWORK_PATH = String.raw`\\\\[^\s\\]{1,64}|\bfile:[\\/]\S{0,64}`;
const LETTERS_OR_PUNYCODE = String.raw`(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})`;

// A scheme, "www.", a host name (labels, a dot, then letters or a punycode label), or an IPv4 address:
// what a mail client turns into a link. NFKC first, so full-width letters and dots are read as the
// ones they look like, and the ideographic full stop, which browsers take for a dot in host names, too.
const WEB_ADDRESS = new RegExp([SCHEME, WWW, `${LABELS}${LETTERS_OR_PUNYCODE}`, IPV4, NETWORK_PATH].join('|'), 'iu');
const IDEOGRAPHIC_FULL_STOP = /\u3002/g;
// Invisible in a mail (zero-width space and joiner, soft hyphen, word joiner, direction marks) or
// riding on the letter before it: "evil\u200B.example" still reads as an address, so they are looked past.
const INVISIBLE_OR_MARK = /[\p{Cf}\p{M}]/gu;

/**
 * The first web or e-mail address in vendor staff's words, as the check reads it; undefined when there
 * is none. Words the portal mails in CareNotes' name (a verifier's reason or question, an operator's
 * incident or maintenance) name no site or inbox: a mail's only links are the portal's own, and no one
 * must be able to send its readers anywhere else. Broader than clickableAddressIn: any "word.word".
 */
export function webAddressIn(text: string): string | undefined {
  return WEB_ADDRESS.exec(readableForAddresses(text))?.[0];
}

/** The text as a reader takes an address in it: full-width forms as plain ones, nothing invisible, any full stop a dot. */
function readableForAddresses(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE_OR_MARK, '').replace(IDEOGRAPHIC_FULL_STOP, '.');
}

// What a mail program makes a link of in anyone's words: a scheme, "www.", an e-mail address, a host
// name followed by a path, an IPv4 address, or a host name ending in a top-level domain (any of IANA's,
// as mail programs know them: ".help", ".support" and ".ai" link as ".com" does). Narrower than
// WEB_ADDRESS: a locked-out person names a login like "jane.doe" or a file like "report.pdf".
const CLICKABLE_ADDRESS = new RegExp(
  [SCHEME, WWW, String.raw`[\p{L}\p{N}._%+-]{1,64}@${LABELS}[\p{L}\p{N}-]{2,63}`, String.raw`${LABELS}${LETTERS_OR_PUNYCODE}\/`, IPV4, NETWORK_PATH].join('|'),
  'iu',
);
const HOST_NAME = new RegExp(String.raw`${LABEL}(?:\.${LABEL}){1,16}`, 'gu');
// Read as the text is (marks dropped): "भारत" is looked up as the "भरत" the text becomes.
const TOP_LEVEL_DOMAINS: ReadonlySet<string> = new Set(topLevelDomains.map(readableForAddresses));

/**
 * Whether a label after a dot starts with a top-level domain, whatever is glued after it but a digit:
 * mail programs link "evil.com" in "evil.com-then", "evil.com获取" and "evil.com.Thanks", and no
 * address in a login name like "wei.ma2".
 */
function startsWithTopLevelDomain(label: string): boolean {
  const lower = label.toLowerCase();
  if (lower.startsWith('xn--')) return true;
  return [/^[a-z]+/, /^\p{L}+/u].some((letters) => {
    const start = letters.exec(lower)?.[0];
    return start !== undefined && !/^\p{N}/u.test(lower.slice(start.length)) && TOP_LEVEL_DOMAINS.has(start);
  });
}

/**
 * The first address in anyone's words (a stranger's message to an agency's admins, mailed in
 * CareNotes' name) that a mail program would make a link of, seen past what a reader cannot see;
 * undefined when there is none. Returned to be named in the refusal: "out.It" (a missed space) is
 * one too, and its writer must see which.
 */
export function clickableAddressIn(text: string): string | undefined {
  const readable = readableForAddresses(text);
  const found = CLICKABLE_ADDRESS.exec(readable)?.[0];
  if (found) return found;
  for (const [host] of readable.matchAll(HOST_NAME)) {
    if (host.split('.').slice(1).some(startsWithTopLevelDomain)) return host;
  }
  return undefined;
}

/**
 * A check refusing text in which `addressIn` finds an address, saying `message` of it: the message
 * names what was found, so that a missed space ("out.It") or a name ("Node.js") is easy to find and mend.
 */
export function refuseAddresses(addressIn: (text: string) => string | undefined, message: (quoted: string) => string) {
  return (value: string, context: z.core.$RefinementCtx<string>) => {
    const found = addressIn(value);
    if (found) context.addIssue({ code: 'custom', message: message(`“${found.length > 60 ? `${found.slice(0, 59)}…` : found}”`) });
  };
}

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
