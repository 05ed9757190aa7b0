import Link from 'next/link';
import { ProviderCodeHelp } from '@/components/help/provider-code-help';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { CacheInstructions } from '@/components/help/cache-instructions';
import { CapsLockTryIt } from '@/components/help/caps-lock-try-it';
import { ConnectionCheck } from '@/components/help/connection-check';
import { DowntimeCheck, StatusCheck, VendorWebsiteCheck } from '@/components/help/status-checks';
import { StalePageNotice } from '@/components/help/stale-page-notice';
import { CACHE_INSTRUCTIONS } from '@/lib/help/cache-instructions';
import { GUIDE_STEPS, VENDOR_PROMISE, type GuideStepId } from '@/lib/help/guide-steps';
import { publicPage } from '@/lib/auth/guards';

export const metadata: Metadata = {
  title: 'Can’t sign in? Help guide',
  description: 'Eight steps to get back into CareNotes: Caps Lock, connection, status, cache, downtime and your administrator.',
};

// Prerendered once at build: the guide must load, read and print even when the database or
// sign-in is down. Live checks are small client components that run after load.
export const dynamic = 'force-static';

function Step({ id, children }: { id: GuideStepId; children: ReactNode }) {
  const index = GUIDE_STEPS.findIndex((step) => step.id === id);
  return (
    <section id={id} className="help-step" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <span className="step-number">Step {index + 1}</span> {GUIDE_STEPS[index]!.title}
      </h2>
      {children}
    </section>
  );
}

export default publicPage(function HelpPage() {
  return (
    <div className="help-guide">
      <h1>Can’t sign in? Try these steps</h1>
      <p className="lead">Work through the steps in order. Most problems are solved by one of the first five.</p>
      <StalePageNotice />
      <p className="notice promise">
        <strong>{VENDOR_PROMISE}</strong> If someone says they are from CareNotes and asks for your password, do not give it.
      </p>
      <p className="notice">
        Are you reading this on the same computer or phone you are trying to sign in on? The checks below test the device
        you are reading on. If you are using another one, try the steps on the device that cannot sign in.
      </p>

      <nav aria-labelledby="steps-title" className="help-contents">
        <h2 id="steps-title">Steps</h2>
        <ol>
          {GUIDE_STEPS.map((step) => (
            <li key={step.id}>
              <a href={`#${step.id}`}>{step.title}</a>
            </li>
          ))}
        </ol>
      </nav>

      <Step id="caps-lock">
        <p>
          Passwords are case-sensitive: with Caps Lock on, “maple river” is typed as “MAPLE RIVER” and is refused. The
          sign-in page warns you while Caps Lock is on.
        </p>
        <ul>
          <li>Press the Caps Lock key once to turn it off, then type your password again.</li>
          <li>Check Num Lock too if your password has numbers and you use the number pad.</li>
          <li>Check the keyboard language: another layout puts some letters and symbols in other places.</li>
        </ul>
        <CapsLockTryIt />
      </Step>

      <Step id="another-site">
        <p>
          Make sure your device is online: open a well-known website, such as a search engine or your agency’s own
          website. If it does not open either, the problem is your connection, not CareNotes.
        </p>
        <ul>
          <li>Check that Wi-Fi is on, or that the network cable is plugged in, and that airplane mode is off.</li>
          <li>On guest or public Wi-Fi, you may first need to accept the network’s terms on its sign-in page.</li>
          <li>At work, ask a colleague whether their internet works, or tell your IT support.</li>
        </ul>
        <ConnectionCheck />
      </Step>

      <Step id="vendor-website">
        <p>
          If other websites work but CareNotes does not, CareNotes itself may be having a problem. During a long outage,
          CareNotes posts a message about it, which shows here and on the status page.
        </p>
        <VendorWebsiteCheck />
      </Step>

      <Step id="status-website">
        <p>
          The <Link href="/status">CareNotes status page</Link> shows whether any part of CareNotes is down, what is being done
          about it, and planned maintenance. If it shows a problem, you cannot fix it from your device: wait until it is
          fixed.
        </p>
        <p>
          <Link href="/status#subscribe">Subscribe to e-mail alerts</Link> to hear about outages and planned downtime.
        </p>
        <StatusCheck />
      </Step>

      <Step id="clear-cache">
        <p>
          Your browser keeps copies of pages it has shown. After an outage, it may keep showing an old “Unavailable” page
          even though CareNotes is working again. Reload the page first:
        </p>
        <ul>
          <li>Windows and Linux: press Ctrl + F5 (or Ctrl + Shift + R).</li>
          <li>Mac: press Command + Shift + R (in Safari: Option + Command + R).</li>
        </ul>
        <p>If that does not help, clear your browser’s cache:</p>
        <CacheInstructions browsers={CACHE_INSTRUCTIONS} />
      </Step>

      <Step id="downtime">
        <p>
          CareNotes is sometimes unavailable during planned maintenance. Planned downtime is announced in advance on the
          sign-in page and the <Link href="/status">status page</Link>, and by e-mail if you{' '}
          <Link href="/status#subscribe">subscribe to alerts</Link>.
        </p>
        <p>
          While CareNotes is unavailable, follow your agency’s downtime procedure, for example writing notes on paper to
          enter later. Your manager or provider administrator can tell you what it is.
        </p>
        <p>
          <Link href="/help/downtime">Support materials for working during downtime</Link>: what to record on paper and how
          to enter it later (printable).
        </p>
        <DowntimeCheck />
      </Step>

      <Step id="contact-admin">
        <p>
          Your provider administrator is someone at your own agency, often a manager or office administrator, who looks
          after CareNotes accounts. They can:
        </p>
        <ul>
          <li>reset your password, even if your account is locked;</li>
          <li>unlock your account after too many wrong passwords.</li>
        </ul>
        <p>
          After a reset they give you a temporary password, by phone or in person. You must change it the next time you
          sign in.
        </p>
        <p>
          <a className="button" href="/help/ask-admin">
            Ask your administrators for help
          </a>
        </p>
        <p>If you know who your administrator is, you can also phone them or ask them in person.</p>
        <p>Ask your supervisor if you don’t know who your administrator is.</p>
        <p>
          Never share your password with anyone: not a colleague, not your administrator, not CareNotes staff. An
          administrator never needs it to help you: they give you a temporary one instead.
        </p>
        <ProviderCodeHelp />
      </Step>

      <Step id="admin-reset">
        <p>
          If you are a provider administrator or super administrator and cannot sign in, ask another administrator at your
          agency to reset your password. Unless your agency has chosen otherwise, any provider administrator can reset an
          administrator’s password.
        </p>
        <p>
          If no other administrator can help, use the{' '}
          <a href="/super-admin-reset">super administrator password reset request</a>. CareNotes will check who you are by
          calling your agency’s phone number on record. Once approved, the system e-mails a single-use link to the e-mail
          address on record, so that only you set your new password.
        </p>
      </Step>

      <p className="notice promise">
        <strong>Remember:</strong> {VENDOR_PROMISE}
      </p>
    </div>
  );
});
