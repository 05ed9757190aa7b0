// Many raw HTTP/1.1 requests written at once, each on a socket of its own opened beforehand, so the
// server reads them within a few milliseconds: for tests of what a server does with a burst
// (admission, waiting lines), which fetch cannot send at once.
import net from 'node:net';

export type RawRequest = { path: string; text: string };
/** `answeredAs`: the order in which the answers came back, 0 first. */
export type RawAnswer = { path: string; status: number; retryAfter: string | null; body: string; answeredAs: number };

export async function burst(port: number, requests: RawRequest[]): Promise<RawAnswer[]> {
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  let answered = 0;
  const answers = sockets.map((socket) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    return new Promise<{ text: string; answeredAs: number }>((resolve) => socket.on('close', () => resolve({ text, answeredAs: answered++ })));
  });
  sockets.forEach((socket, i) => socket.write(requests[i]!.text));
  return (await Promise.all(answers)).map(({ text, answeredAs }, i) => ({
    path: requests[i]!.path,
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]),
    retryAfter: /^retry-after: (.*)\r$/im.exec(text)?.[1] ?? null,
    body: text.slice(text.indexOf('\r\n\r\n') + 4),
    answeredAs,
  }));
}
