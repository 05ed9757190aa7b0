import { config } from '@/lib/config';
import { tidyFreeText } from '@/lib/validation/free-text';

/** Absolute link for a mail: every link is built from APP_URL, never from a request's Host. */
export function absoluteUrl(pathAndQuery: string): string {
  if (!pathAndQuery.startsWith('/')) throw new Error('absoluteUrl takes a path starting with /');
  return new URL(pathAndQuery, config().APP_URL).toString();
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Someone else's words, shown as theirs: a marked block in HTML, every line quoted in text. */
export type QuotedWords = { quote: string };

export type MailContent = {
  subject: string;
  /** Plain sentences (user-supplied text is escaped in the HTML part, and a line break is kept as one), or quoted words. */
  paragraphs: (string | QuotedWords)[];
  action?: { label: string; url: string };
  /** Small print under the body, e.g. why the person got this or how to stop it. */
  footer?: string[];
};

/** One plain-text and one HTML part from the same content; nothing user-supplied is ever markup. */
export function renderMail(content: MailContent): { subject: string; text: string; html: string } {
  const text = [
    ...content.paragraphs.map((p) => (typeof p === 'string' ? p : quotedText(p.quote))),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`] : []),
    ...(content.footer?.length ? ['--', ...content.footer] : []),
  ].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c">',
    ...content.paragraphs.map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`
        : `<blockquote style="margin:0 0 1em;padding:0.5em 1em;border-left:4px solid #b1b4b6;background:#f3f2f1;overflow:hidden;overflow-wrap:anywhere">${escapeHtml(tidyFreeText(p.quote)).replace(/\n/g, '<br>')}</blockquote>`,
    ),
    ...(content.action
      ? [`<p><a href="${escapeHtml(content.action.url)}" style="color:#1d4f91;font-weight:bold">${escapeHtml(content.action.label)}</a></p>`]
      : []),
    ...(content.footer?.length
      ? [`<hr><p style="font-size:14px;color:#505a5f">${content.footer.map(escapeHtml).join('<br>')}</p>`]
      : []),
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html };
}

/** Narrower than any mail client's own wrapping, so every line a reader sees is one we marked. */
const QUOTED_LINE_COLUMNS = 66;

/**
 * Words quoted in a plain-text part: wrapped here at spaces (a longer word is cut between letters), so a
 * client never wraps a line itself and leaves its second half unmarked, and every line starts "> ".
 */
function quotedText(words: string): string {
  return tidyFreeText(words)
    .split('\n')
    .flatMap((line) => wrapped(line))
    .map((line) => `> ${line}`.trimEnd())
    .join('\n');
}

const letters = new Intl.Segmenter('en', { granularity: 'grapheme' });
// East Asian wide and full-width letters, and emoji, take two columns in a monospaced view.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;

/** A line as letters (grapheme clusters, so a letter and its marks stay together) with the columns each takes. */
function columnsOf(text: string): { letter: string; columns: number }[] {
  return [...letters.segment(text)].map(({ segment }) => ({ letter: segment, columns: WIDE.test(segment) ? 2 : 1 }));
}

function wrapped(line: string): string[] {
  const lines: string[] = [];
  let current = '';
  let used = 0;
  for (const word of line.split(' ')) {
    const cells = columnsOf(word);
    const width = cells.reduce((sum, cell) => sum + cell.columns, 0);
    if (used > 0 && used + 1 + width <= QUOTED_LINE_COLUMNS) {
      current += ` ${word}`;
      used += 1 + width;
      continue;
    }
    if (used > 0) lines.push(current);
    current = '';
    used = 0;
    // A word wider than a line is cut between letters.
    for (const cell of cells) {
      if (used + cell.columns > QUOTED_LINE_COLUMNS) {
        lines.push(current);
        current = '';
        used = 0;
      }
      current += cell.letter;
      used += cell.columns;
    }
  }
  return [...lines, current];
}
