import net from 'node:net';

/**
 * What the relay does with the database's traffic: pass it on ('passing'); hold new connections
 * unanswered, a database that hangs ('hanging'); close new connections at once, a stopped one
 * ('refusing'); or stop passing the server's answers on, on open connections and new ones alike,
 * and keep them until it passes again, a server stopped with SIGSTOP ('frozen').
 */
export type RelayState = 'passing' | 'hanging' | 'refusing' | 'frozen';

export type DatabaseRelay = {
  /** The database's URL, through the relay. */
  url: string;
  set(state: RelayState): void;
  /** Closes every connection open now, as a database restarting does. */
  cutOpen(): void;
  close(): void;
};

/** A TCP relay in front of the test database, to meet the ways a database fails with real connections. */
export async function startDatabaseRelay(databaseUrl: string): Promise<DatabaseRelay> {
  const upstream = new URL(databaseUrl);
  let state: RelayState = 'passing';
  const heldAnswers: Array<() => void> = [];
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
  };
  const server = net.createServer((client) => {
    track(client);
    if (state === 'refusing') return client.destroy();
    if (state === 'hanging') return;
    const onward = net.connect(Number(upstream.port || 5432), upstream.hostname);
    track(onward);
    client.on('close', () => onward.destroy());
    onward.on('close', () => client.destroy());
    client.on('data', (chunk) => onward.write(chunk));
    onward.on('data', (chunk) => (state === 'frozen' ? heldAnswers.push(() => client.write(chunk)) : client.write(chunk)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url: url.toString(),
    set(next) {
      state = next;
      if (next !== 'frozen') for (const send of heldAnswers.splice(0)) send();
    },
    cutOpen() {
      for (const socket of open) socket.destroy();
    },
    close() {
      for (const socket of open) socket.destroy();
      server.close();
    },
  };
}
