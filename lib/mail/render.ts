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
        : `<blockquote style="margin:0 0 1em;padding:0.5em 1em;border-left:4px solid #b1b4b6;background:#f3f2f1">${escapeHtml(tidyFreeText(p.quote)).replace(/\n/g, '<br>')}</blockquote>`,
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

/** Shorter than any mail client's own wrapping, so every line a reader sees is one we marked. */
const QUOTED_LINE_LENGTH = 66;

/**
 * Words quoted in a plain-text part: wrapped here at spaces (a longer word is cut), so a client never
 * wraps a line itself and leaves its second half unmarked, and every line starts "> ".
 */
function quotedText(words: string): string {
  return tidyFreeText(words)
    .split('\n')
    .flatMap((line) => wrapped(line))
    .map((line) => `> ${line}`.trimEnd())
    .join('\n');
}

function wrapped(line: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    for (let rest = word; ; ) {
      const room = QUOTED_LINE_LENGTH - (current ? current.length + 1 : 0);
      if ([...rest].length <= room) {
        current = current ? `${current} ${rest}` : rest;
        break;
      }
      if (current) {
        lines.push(current);
        current = '';
        continue;
      }
      const chars = [...rest];
      lines.push(chars.slice(0, QUOTED_LINE_LENGTH).join(''));
      rest = chars.slice(QUOTED_LINE_LENGTH).join('');
      if (!rest) break;
    }
  }
  return [...lines, current];
}
