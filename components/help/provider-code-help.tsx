/** "Don't know your provider code?": where to find it, for /login, /help and /help/ask-admin. */
export function ProviderCodeHelp() {
  return (
    <details className="provider-code-help">
      <summary>Don’t know your provider code?</summary>
      <p>Your provider code is your agency’s short code in CareNotes, for example ACME-NY. You can find it:</p>
      <ul>
        <li>in the welcome message your agency sent when your CareNotes account was set up;</li>
        <li>by asking a colleague who signs in to CareNotes;</li>
        <li>by asking your provider administrator.</li>
      </ul>
      <p>Ask your supervisor if you don’t know who your administrator is.</p>
    </details>
  );
}
