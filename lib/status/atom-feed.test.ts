import { beforeAll, describe, expect, it } from 'vitest';
import { renderAtomFeed } from '@/lib/status/atom-feed';
import { childrenNamed, parseStrictXml } from '@/test/support/strict-xml';

beforeAll(() => {
  process.env.APP_URL ??= 'http://localhost:3000';
});

const entry = {
  key: 'incident/abc',
  anchor: 'incident-abc',
  title: 'Investigating: Sign-in <slow> & failing',
  published: new Date('2026-11-27T10:00:00Z'),
  updated: new Date('2026-11-27T10:30:00Z'),
  text: 'Impact: Major outage.\n\n10:30 · Investigating: "quotes" & <tags>',
};

describe('renderAtomFeed', () => {
  it('has what RFC 4287 requires of a feed and of each entry', () => {
    const feed = renderAtomFeed([entry]);
    expect(feed).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(feed).toMatch(/<id>tag:[^,]+,2026:status<\/id>/);
    expect(feed).toContain('<updated>2026-11-27T10:30:00.000Z</updated>');
    expect(feed).toContain('<author><name>CareNotes</name></author>');
    expect(feed).toMatch(/<link rel="self" type="application\/atom\+xml" href="https?:\/\/[^"]+\/status\/feed.atom"\/>/);
    expect(feed).toMatch(/<entry>\s+<id>tag:[^,]+,2026:status\/incident\/abc<\/id>/);
    expect(feed).toContain('<published>2026-11-27T10:00:00.000Z</published>');
  });

  it('escapes every text so that the document stays well-formed', () => {
    const feed = renderAtomFeed([entry]);
    expect(feed).toContain('<title type="text">Investigating: Sign-in &lt;slow&gt; &amp; failing</title>');
    expect(feed).toContain('&quot;quotes&quot; &amp; &lt;tags&gt;');
    expect(feed).not.toContain('<slow>');
  });

  it('is valid without entries, dated now', () => {
    const now = new Date('2026-11-27T12:00:00Z');
    const feed = renderAtomFeed([], now);
    expect(feed).toContain('<updated>2026-11-27T12:00:00.000Z</updated>');
    expect(feed).not.toContain('<entry>');
  });

  it('stays well-formed for a strict XML parser whatever the text holds, even characters XML 1.0 cannot carry', () => {
    const every = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    const hostile = `${every} ]]> <![CDATA[ x ]]> &amp; &#0; <!-- --> <?pi?> "' \uD800 \uDFFF \uD83D\uDE00 \uFFFE \uFFFF \u2028 \u202E`;
    const feed = renderAtomFeed([{ ...entry, key: `incident/${hostile}`, anchor: hostile, title: hostile, text: hostile }]);

    const root = parseStrictXml(feed);
    const [parsed] = childrenNamed(root, 'entry');
    const title = childrenNamed(parsed!, 'title')[0]!.text;
    // What XML can carry arrives as it was; the rest, and only the rest, is U+FFFD.
    const expected = hostile.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
    expect(title).toBe(expected.replace(/\r/g, '\n')); // XML reads a CR as a line end
    expect(title).toContain(']]> <![CDATA[ x ]]> &amp; &#0; <!-- -->');
    expect(title).toContain('\uD83D\uDE00');
    expect(childrenNamed(parsed!, 'link')[0]!.attributes.href).toContain('#');
  });
});
