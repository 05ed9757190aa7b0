import { formatDateTime } from '@/lib/format/date';
import { absoluteUrl, renderMail } from '@/lib/mail/render';
import type { MailMessage } from '@/lib/mail/outbox';

export type HelpRequestMailInput = {
  to: string;
  adminName: string;
  agencyName: string;
  requester: { displayName: string; loginName: string };
  /** As the person typed it: goes into the body only, never into a header. */
  message: string | null;
  requestedAt: Date;
  /** The agency's zone: its admins read the time as their office's. */
  timeZone: string;
};

/**
 * To one administrator: a staff member of their agency asked for help signing in. The subject is
 * fixed; names come from the records, not from the form; the requester's own words are quoted
 * in the body and marked as unchecked, since anyone can fill in the form with someone's name.
 */
export function helpRequestMail(input: HelpRequestMailInput): MailMessage {
  const { requester } = input;
  const content = renderMail({
    subject: 'Help request: someone in your agency cannot sign in to CareNotes',
    paragraphs: [
      `Hello ${input.adminName},`,
      `${requester.displayName} (login name ${requester.loginName}) at ${input.agencyName} asked for help signing in to CareNotes on ${formatDateTime(input.requestedAt, input.timeZone)}.`,
      'Anyone can fill in this form with a name. Before you reset a password, make sure it is really them: call them on a number you already know.',
      ...(input.message ? ['Their message, as typed in the form (not checked by CareNotes):', { quote: input.message }] : ['They did not leave a message.']),
      'In the admin console you can reset their password or unlock their account, and mark this request as handled.',
    ],
    action: { label: 'Open help requests in the admin console', url: absoluteUrl('/admin/help-requests') },
    footer: [
      `You get this message because you are an administrator of ${input.agencyName} in CareNotes.`,
      'CareNotes staff will never ask you for a password.',
    ],
  });
  // To every admin of the agency, each time anyone names one of its people: after mail for one person.
  return { template: 'help-request', to: input.to, ...content, bulk: true };
}
