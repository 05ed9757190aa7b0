/** The eight steps of the sign-in help guide, in order; each id is the step's anchor on /help. */
export const GUIDE_STEPS = [
  { id: 'caps-lock', title: 'Check Caps Lock' },
  { id: 'another-site', title: 'Check your internet connection' },
  { id: 'vendor-website', title: 'Check whether CareNotes is working' },
  { id: 'status-website', title: 'Check the CareNotes status page' },
  { id: 'clear-cache', title: 'Clear your browser’s cache' },
  { id: 'downtime', title: 'Check for planned downtime' },
  { id: 'contact-admin', title: 'Ask your provider administrator' },
  { id: 'admin-reset', title: 'If you are an administrator' },
] as const;

export type GuideStepId = (typeof GUIDE_STEPS)[number]['id'];

/** Always shown, in the guide and on the home page. */
export const VENDOR_PROMISE = 'CareNotes staff cannot reset passwords, and no one from CareNotes will ever ask for your password.';
