import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { StackTable } from '@/components/ui/stack-table';
import { listLocalMailbox, localMailboxOpenToThisRequest } from '@/lib/mail/local-mailbox';
import { publicPage } from '@/lib/auth/guards';
import { firstValues, type PageSearchParams } from '@/lib/http/search-params';

export const metadata: Metadata = { title: 'Local mailbox', robots: { index: false } };
export const dynamic = 'force-dynamic';

export default publicPage(async function LocalMailboxPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { key = '' } = await firstValues(searchParams);
  if (!(await localMailboxOpenToThisRequest(key))) notFound();
  const messages = await listLocalMailbox();
  return (
    <>
      <h1>Local mailbox</h1>
      <p className="notice warning">
        Development only. Without <code>SMTP_URL</code>, the portal writes every message here instead of sending it.
      </p>
      <StackTable
        rows={messages}
        rowKey={(message) => message.id}
        empty="No messages yet."
        columns={[
          { label: 'Received', cell: (message) => message.date.toISOString().replace('T', ' ').slice(0, 19) },
          { label: 'To', cell: (message) => message.to },
          { label: 'Subject', cell: (message) => <Link href={`/dev/mailbox/${message.id}?key=${encodeURIComponent(key)}`}>{message.subject}</Link> },
        ]}
      />
    </>
  );
});
