import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, expect, it } from "vitest";
import { createKeyedLock } from "../../src/mirror/create-keyed-lock.ts";
import { createPostgresStore } from "../../src/store/postgres/create-postgres-store.ts";
import type { Store } from "../../src/store/store.ts";
import { describeOnPostgres } from "../support/describe-on-postgres.ts";

await describeOnPostgres("keyed locks across replicas", ({ url, schema }) => {
  const stores: Store[] = [];

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it("runs the tasks of one key one at a time over replicas, and other keys freely", async () => {
    for (let n = 0; n < 3; n++) {
      stores.push(await createPostgresStore({ connectionString: url, schema }));
    }
    // One lock per replica, as each process builds its own executors.
    const replicas = stores.map((store) => ({ store, lock: createKeyedLock() }));
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const task = (key: string) => async () => {
      running.set(key, (running.get(key) ?? 0) + 1);
      most.set(key, Math.max(most.get(key) ?? 0, running.get(key) ?? 0));
      await sleep(15);
      running.set(key, (running.get(key) ?? 0) - 1);
    };
    await Promise.all(
      Array.from({ length: 12 }, (_, index) => {
        const replica = replicas[index % replicas.length] as (typeof replicas)[number];
        const key = index % 2 === 0 ? "hub-discussion:a:1" : "hub-discussion:a:2";
        return replica.lock(key, task(key), { store: replica.store });
      }),
    );
    expect(Object.fromEntries(most)).toEqual({
      "hub-discussion:a:1": 1,
      "hub-discussion:a:2": 1,
    });
    // Each task gave its lease back: nobody holds a lock now.
    const leases = await (stores[0] as Store).listLeases();
    expect(leases.filter((lease) => lease.name.startsWith("lock:"))).toEqual([]);
  });
});
