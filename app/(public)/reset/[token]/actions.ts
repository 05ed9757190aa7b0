'use server';

import { notFound } from 'next/navigation';
import { requestClientIp } from '@/lib/http/client-ip';
import { resetPasswordWithLink, type ResetWithLinkResult } from '@/lib/password-reset/reset-password-with-link';
import { refusedAsVendor } from './refuse-vendor';

// Public: the link itself is the authority. The passwords are never sent back to the browser.
export async function resetWithLinkAction(_previous: ResetWithLinkResult, formData: FormData): Promise<ResetWithLinkResult> {
  if (await refusedAsVendor('action reset-with-link')) notFound();
  const field = (name: string) => {
    const value = formData.get(name);
    return typeof value === 'string' ? value : '';
  };
  return resetPasswordWithLink(field('token'), field('newPassword'), field('confirmPassword'), await requestClientIp());
}
