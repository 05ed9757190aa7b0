import type { Metadata } from 'next';
import Link from 'next/link';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = {
  title: 'Working while CareNotes is unavailable',
  description: 'What to do during CareNotes downtime: your agency’s procedure, recording care on paper, and entering it later.',
};

// Static and printable, so agencies can link it and print it before a planned window; it stays up
// during maintenance (lib/maintenance/maintenance-gate.ts lets /help through).
export default publicPage(function DowntimePage() {
  return (
    <div className="help-guide">
      <p>
        <Link href="/help">Back to the sign-in help guide</Link>
      </p>
      <h1>Working while CareNotes is unavailable</h1>
      <p className="lead">
        Care goes on when CareNotes is down. Record what you do on paper, and enter it in CareNotes once it is back.
      </p>

      <section aria-labelledby="before-title">
        <h2 id="before-title">Before planned downtime</h2>
        <ul>
          <li>
            Check the <Link href="/status">status page</Link> for the next maintenance window, and{' '}
            <Link href="/status#subscribe">subscribe to alerts</Link>.
          </li>
          <li>Ask your supervisor for your agency’s downtime procedure and where the paper forms are kept.</li>
          <li>Print this page and the paper forms you will need, and note today’s visits and care plans you will need to see.</li>
        </ul>
      </section>

      <section aria-labelledby="during-title">
        <h2 id="during-title">While CareNotes is unavailable</h2>
        <ul>
          <li>Follow your agency’s downtime procedure. It comes before anything on this page.</li>
          <li>
            Write each note on your agency’s paper form, or on plain paper with: the person’s full name and date of birth,
            the date, the start and end time, what you did and saw, any medication given (name, dose, time), and your name.
          </li>
          <li>Write clearly, in ink, and do not leave blank lines between entries.</li>
          <li>Keep the papers together and private, as you would the record itself; do not photograph them on a personal phone.</li>
          <li>For anything urgent about a person’s care, phone your supervisor as you normally would.</li>
        </ul>
      </section>

      <section aria-labelledby="after-title">
        <h2 id="after-title">When CareNotes is back</h2>
        <ul>
          <li>
            Reload the page (Ctrl + F5, or Command + Shift + R on a Mac). If you still see “Unavailable”, see{' '}
            <Link href="/help#clear-cache">clear the web cache</Link>.
          </li>
          <li>Enter each paper note in CareNotes with the time the care happened, not the time you type it, and say it was entered late.</li>
          <li>Hand the papers to your supervisor, or keep them as your agency’s procedure says.</li>
        </ul>
      </section>

      <p className="notice promise">
        Never share your password, not even with a colleague, your administrator or CareNotes staff, and not to get someone
        back in faster during downtime.
      </p>
    </div>
  );
});
