import type { AddressInfo } from "node:net";
import { createServer, type Socket, connect as tcpConnect } from "node:net";

export interface TcpProxy {
  port: number;
  /**
   * Half-opens every connection, present and future: sockets stay open, but nothing is forwarded in
   * either direction (a dropped NAT entry, a dead link without resets).
   */
  freeze(): void;
  /** Resets the frozen connections, as a peer that lost their state does, and forwards new ones again. */
  thaw(): void;
  /**
   * PostgreSQL only. While on, every connection is ended as `pg_terminate_backend` ends one that is
   * just starting: its ReadyForQuery and a FATAL 57P01 arrive in one segment. Turning it on resets
   * the present connections, so the next call has to connect.
   */
  terminateAtStartup(on: boolean): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `target`, for faults a real server will not produce on demand. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let frozen = false;
  let terminating = false;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    // A reset peer is what this proxy simulates; its errors are expected.
    socket.on("error", () => undefined);
  };
  const server = createServer((client) => {
    track(client);
    if (frozen) return;
    const upstream = tcpConnect(target.port, target.host);
    track(upstream);
    const forward = (from: Socket, to: Socket) => {
      from.on("data", (chunk) => {
        if (!frozen) to.write(chunk);
      });
      from.on("close", () => to.destroy());
    };
    forward(client, upstream);
    if (terminating) terminateAfterReady(upstream, client);
    else forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const socket of open) socket.resetAndDestroy();
    },
    terminateAtStartup(on) {
      terminating = on;
      if (on) for (const socket of open) socket.resetAndDestroy();
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const READY_FOR_QUERY = 0x5a;
/** The ErrorResponse a backend sends when an administrator terminates it: FATAL, SQLSTATE 57P01. */
const TERMINATED = errorResponse({
  S: "FATAL",
  V: "FATAL",
  C: "57P01",
  M: "terminating connection due to administrator command",
});

function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(fields).map(([code, value]) => Buffer.from(`${code}${value}\0`)),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** Forwards the server's start-up messages up to its first ReadyForQuery, sends that and FATAL in one write, and ends. */
function terminateAfterReady(upstream: Socket, client: Socket): void {
  let pending = Buffer.alloc(0);
  upstream.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length >= offset + 5) {
      const end = offset + 1 + pending.readInt32BE(offset + 1);
      if (pending.length < end) break;
      if (pending[offset] === READY_FOR_QUERY) {
        client.end(Buffer.concat([pending.subarray(0, end), TERMINATED]));
        upstream.destroy();
        return;
      }
      offset = end;
    }
  });
  upstream.on("close", () => client.destroy());
}
