import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { devMailboxEnabled } from '@/lib/config';
import { listLocalMailbox } from '@/lib/mail/local-mailbox';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = { title: 'Local mailbox', robots: { index: false } };
export const dynamic = 'force-dynamic';

export default publicPage(async function LocalMailboxPage() {
  if (!devMailboxEnabled()) notFound();
  const messages = await listLocalMailbox();
  return (
    <>
      <h1>Local mailbox</h1>
      <p className="notice warning">
        Development only. Without <code>SMTP_URL</code>, the portal writes every message here instead of sending it.
      </p>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((message) => (
              <tr key={message.id}>
                <td>{message.date.toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td>{message.to}</td>
                <td>
                  <Link href={`/dev/mailbox/${message.id}`}>{message.subject}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
});
