'use client';

import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { DRAWN_FOR_FIELD } from '@/lib/http/drawn-for-field';
import { SIGNED_IN_AS, writeShared } from './between-tabs';

const DrawnForKey = createContext<string | null>(null);

/**
 * The signed-in pages' proof of whose page they are: a key signed for the account the page was drawn for
 * (newFormKey in lib/http/form-key.ts), which every signed-in form sends back and defineAction checks. A page
 * drawn for one person and sent after another signed in on the same browser (a shared computer) is then
 * refused for a reload, not done as the other person (review r50c F1). Given by the signed-in layout and the
 * code step's pages.
 *
 * `tabMark` (tabMarkOf): each page says in the browser's storage whose it is, and a tab drawn for another account
 * (someone else signed in, in another tab) reloads as the page of the one signed in now, rather than keep a key
 * every form of it would be refused with (review r50e F4). A sign-out has its own word (SIGNED_OUT).
 */
export function DrawnForProvider({ drawnFor, tabMark, children }: { drawnFor: string | null; tabMark: string | null; children: ReactNode }) {
  useEffect(() => {
    if (tabMark === null) return;
    writeShared(SIGNED_IN_AS, tabMark);
    const signedInElsewhere = (event: StorageEvent) => {
      if (event.key === SIGNED_IN_AS && event.newValue !== null && event.newValue !== tabMark) location.reload();
    };
    window.addEventListener('storage', signedInElsewhere);
    return () => window.removeEventListener('storage', signedInElsewhere);
  }, [tabMark]);
  return <DrawnForKey.Provider value={drawnFor}>{children}</DrawnForKey.Provider>;
}

/** The hidden field, in every form of a signed-in action; nothing outside a signed-in page (a public form). */
export function DrawnFor() {
  const drawnFor = useContext(DrawnForKey);
  return drawnFor === null ? null : <input type="hidden" name={DRAWN_FOR_FIELD} value={drawnFor} />;
}

/** A form's own key, for an action called from a script of the page rather than by sending the form. */
export function formDataDrawnFor(form: HTMLFormElement | null): FormData {
  const data = new FormData();
  const field = form?.elements.namedItem(DRAWN_FOR_FIELD);
  if (field instanceof HTMLInputElement) data.set(DRAWN_FOR_FIELD, field.value);
  return data;
}
