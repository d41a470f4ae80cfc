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
  close(): Promise<void>;
}

/** A loopback TCP proxy to `target`, for faults a real server will not produce on demand. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let frozen = false;
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
    forward(upstream, client);
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
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
