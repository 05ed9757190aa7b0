/** What the portal's health endpoint told the browser (step 2 of the guide). */
export type HealthResult = 'ok' | 'degraded' | 'unreachable' | 'unexpected';

export type CheckTone = 'pending' | 'ok' | 'warning' | 'problem';

export type CheckOutcome = { tone: CheckTone; title: string; steps: string[] };

/**
 * `response` is null when the request never got an answer (no network, DNS, timeout). An answer
 * that is not our JSON usually comes from something in between: a Wi-Fi sign-in page or a proxy.
 */
export function classifyHealth(response: { status: number; body: unknown } | null): HealthResult {
  if (!response) return 'unreachable';
  const body = response.body as { status?: unknown } | null;
  const ours = typeof body === 'object' && body !== null && typeof body.status === 'string';
  if (!ours) return 'unexpected';
  if (response.status === 200 && body.status === 'ok') return 'ok';
  if (response.status === 503) return 'degraded';
  return 'unexpected';
}

const TRY_ANOTHER_SITE =
  'Open a well-known website, such as a search engine or your agency’s own website, to see whether other sites work.';

/**
 * The plain next steps for each combination of the browser's online state and the health answer.
 * `signInClosed`: a maintenance window that closes sign-in is in progress (the status summary), or null
 * while the status is not read yet: the portal answers, but "ask your administrator" would send staff to
 * someone who cannot sign in either, so it is said only once the status says sign-in is open (reviews
 * r52d F3, r52f F7).
 */
export function connectionOutcome(online: boolean, health: HealthResult | 'pending', signInClosed: boolean | null = false): CheckOutcome {
  if (!online) {
    return {
      tone: 'problem',
      title: 'Your device is not connected to the internet.',
      steps: [
        'Check that Wi-Fi is on and connected, or that the network cable is plugged in.',
        'Turn off airplane mode if it is on.',
        'On a shared office computer, ask a colleague whether their internet works, or tell your IT support.',
        'When you are connected again, this check updates by itself. Then try signing in again.',
      ],
    };
  }
  switch (health) {
    case 'pending':
      return { tone: 'pending', title: 'Checking your connection to CareNotes…', steps: [] };
    case 'ok':
      if (signInClosed) {
        return {
          tone: 'warning',
          title: 'Your connection works, and CareNotes is answering, but sign-in is closed for planned maintenance.',
          steps: [
            'The problem is not your internet connection, your device or your account.',
            'The CareNotes status page says when sign-in opens again. Until then no one can sign in, administrators included.',
          ],
        };
      }
      return {
        tone: 'ok',
        title: 'Your connection works, and CareNotes is answering.',
        steps: [
          'The problem is not your internet connection.',
          'Check Caps Lock (step 1) and the status (step 4), or clear your browser’s cache (step 5).',
          ...(signInClosed === false ? ['If you still cannot sign in, ask your provider administrator (step 7).'] : []),
        ],
      };
    case 'degraded':
      return {
        tone: 'warning',
        title: 'Your connection works, but CareNotes has a problem right now.',
        steps: [
          'You do not need to change anything on your device.',
          'See the status (step 4) for news, and try again later.',
        ],
      };
    case 'unreachable':
      return {
        tone: 'problem',
        title: 'Your device seems to be online, but it could not reach CareNotes just now.',
        steps: [
          TRY_ANOTHER_SITE,
          'If no website opens, the problem is your connection: restart your Wi-Fi or router, or ask your IT support.',
          'If other websites open, your network may be blocking CareNotes (ask your IT support), or CareNotes may be down: check the status page from another device, such as your phone on mobile data.',
        ],
      };
    case 'unexpected':
      return {
        tone: 'problem',
        title: 'Something other than CareNotes answered, such as a Wi-Fi sign-in page or your network’s filter.',
        steps: [
          'On public or guest Wi-Fi, open any website: if a sign-in or “accept the terms” page appears, complete it, then try again.',
          'At work, your network may be filtering CareNotes: ask your IT support.',
          TRY_ANOTHER_SITE,
        ],
      };
  }
}
