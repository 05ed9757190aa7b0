import { unsubscribeStatusSubscriber } from '@/lib/status/manage-subscription';

export const dynamic = 'force-dynamic';

function linkOf(request: Request) {
  const url = new URL(request.url);
  return { id: (url.searchParams.get('s') ?? '').slice(0, 64), token: (url.searchParams.get('t') ?? '').slice(0, 64) };
}

/** The link in every alert: one click unsubscribes, then shows where that leaves you. */
export async function GET(request: Request) {
  const { id, token } = linkOf(request);
  const done = await unsubscribeStatusSubscriber(id, token);
  const location = done ? '/status/unsubscribed' : '/status/unsubscribed?link=invalid';
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

/** RFC 8058 one-click: a mail program POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URL. */
export async function POST(request: Request) {
  const { id, token } = linkOf(request);
  const done = await unsubscribeStatusSubscriber(id, token);
  return new Response(done ? 'Unsubscribed.\n' : 'This unsubscribe link is not valid.\n', {
    status: done ? 200 : 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
