/** What anyone who asks for status alerts is told, subscribed already or not. */
export const SUBSCRIPTION_REQUESTED_MESSAGE = 'Check your e-mail. If this address is not subscribed yet, we have sent a link to confirm it.';
