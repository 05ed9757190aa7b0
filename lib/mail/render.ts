import { config } from '@/lib/config';

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

export type MailContent = {
  subject: string;
  /** Plain sentences; user-supplied text is escaped in the HTML part, and a line break is kept as one. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the body, e.g. why the person got this or how to stop it. */
  footer?: string[];
};

/** One plain-text and one HTML part from the same content; nothing user-supplied is ever markup. */
export function renderMail(content: MailContent): { subject: string; text: string; html: string } {
  const text = [
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}: ${content.action.url}`] : []),
    ...(content.footer?.length ? ['--', ...content.footer] : []),
  ].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c">',
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
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
