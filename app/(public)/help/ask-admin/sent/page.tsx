import type { Metadata } from 'next';
import { publicPage } from '@/lib/auth/guards';
import { AskAdminReceived } from '../received';

export const metadata: Metadata = { title: 'Request received' };

/** Where the ask-admin form leads without JavaScript: a page, so that reloading it sends nothing again. */
export default publicPage(function AskAdminSentPage() {
  return (
    <div className="notice success" data-testid="ask-admin-sent">
      <h1>Request received</h1>
      <AskAdminReceived />
    </div>
  );
});
