import type { Metadata } from 'next';
import { connection } from 'next/server';
import { AskAdminForm } from './ask-admin-form';
import { OnlyAdministrator } from './only-administrator';
import { ProviderCodeHelp } from '@/components/help/provider-code-help';
import { publicPage } from '@/lib/auth/guards';
import { newFormKey } from '@/lib/http/form-key';

export const metadata: Metadata = { title: 'Ask your administrators for help' };

export default publicPage(async function AskAdminPage() {
  // Rendered per request, never prerendered: each rendering carries its own form key (sent-once.ts).
  await connection();
  return (
    <>
      <p>
        <a href="/help">Back to the sign-in help guide</a>
      </p>
      <h1>Ask your administrators for help</h1>
      <p className="lead">
        We will tell your agency’s CareNotes administrators that you cannot sign in. They can reset your password or
        unlock your account.
      </p>
      <p>Enter the details you use to sign in. We do not need your password.</p>
      <p>Ask your supervisor if you don’t know who your administrator is: they can also reach them for you.</p>
      <OnlyAdministrator />
      <ProviderCodeHelp />
      <AskAdminForm formKey={newFormKey()} />
    </>
  );
});
