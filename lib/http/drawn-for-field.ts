/** The hidden field every signed-in form sends: the key its page was drawn for (components/auth/drawn-for.tsx). */
export const DRAWN_FOR_FIELD = 'drawnFor';
