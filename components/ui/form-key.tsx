import { newFormKey } from '@/lib/http/form-key';

/**
 * The key of this rendering of a form that creates something (lib/http/sent-once.ts): sent twice, the
 * form does its work once. Rendered on the server, with the page: a page served from memory or
 * prerendered at the build would give every visitor the same key. `drawnFor`: the account the page
 * is drawn for (formOwnerOf), whose forms refuse it sent by anyone else.
 */
export function FormKey({ drawnFor }: { drawnFor?: string }) {
  return <input type="hidden" name="formKey" value={newFormKey(drawnFor)} />;
}
