import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { localMailboxOpenToThisRequest, readLocalMail } from '@/lib/mail/local-mailbox';
import { publicPage } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';

export const metadata: Metadata = { title: 'Message', robots: { index: false } };
export const dynamic = 'force-dynamic';

const LINK = /(https?:\/\/[^\s<>"]+)/g;

export default publicPage(async function LocalMailPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: PageSearchParams }) {
  const { key = '' } = await firstValues(searchParams);
  if (!(await localMailboxOpenToThisRequest(key))) notFound();
  const mail = await readLocalMail((await params).id);
  if (!mail) notFound();
  return (
    <>
      <p>
        <Link href={`/dev/mailbox?key=${encodeURIComponent(key)}`}>Back to the mailbox</Link>
      </p>
      <h1>{mail.subject}</h1>
      <dl className="summary">
        <dt>From</dt>
        <dd>{mail.from}</dd>
        <dt>To</dt>
        <dd>{mail.to}</dd>
        <dt>Date</dt>
        <dd>{mail.date?.toISOString() ?? '-'}</dd>
        {mail.headers.map((header) => (
          <div key={header} style={{ display: 'contents' }}>
            <dt>Header</dt>
            <dd>{header}</dd>
          </div>
        ))}
      </dl>
      {/* The plain-text part, with its links made clickable; the HTML part is never rendered here. */}
      <pre style={{ whiteSpace: 'pre-wrap', font: 'inherit' }}>
        {mail.text.split(LINK).map((part, index) =>
          index % 2 === 1 ? (
            <a key={index} href={part}>
              {part}
            </a>
          ) : (
            part
          ),
        )}
      </pre>
    </>
  );
});
