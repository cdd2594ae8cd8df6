/* Storage of the field app (ADR 0055), through the idb package.
   Two databases per user and login:
   - grassroots-field-cache-<user>-<salt>: the snapshot (households, matters…),
     removed on logout, when it expires, and when another account opens the app;
   - grassroots-field-outbox-<user>-<salt>: what the worker recorded, kept until
     the server acknowledged it; a new login of the same user takes it over,
     another account never opens it. */
(function () {
  "use strict";
  const PREFIX = "grassroots-field-";
  const REGISTRY = "grassroots-field-dbs";

  function registry() {
    try {
      return JSON.parse(localStorage.getItem(REGISTRY) || "[]");
    } catch (e) {
      return [];
    }
  }
  function remember(name) {
    const names = registry();
    if (!names.includes(name)) {
      names.push(name);
      localStorage.setItem(REGISTRY, JSON.stringify(names));
    }
  }
  function forget(name) {
    localStorage.setItem(REGISTRY, JSON.stringify(registry().filter((n) => n !== name)));
  }
  async function allNames() {
    const names = new Set(registry());
    if (indexedDB.databases) {
      for (const info of await indexedDB.databases()) {
        if (info.name && info.name.startsWith(PREFIX)) names.add(info.name);
      }
    }
    return [...names];
  }
  async function drop(name) {
    await idb.deleteDB(name);
    forget(name);
  }

  class Store {
    constructor(user, salt) {
      this.user = String(user);
      this.cacheName = `${PREFIX}cache-${this.user}-${salt}`;
      this.outboxName = `${PREFIX}outbox-${this.user}-${salt}`;
    }

    async open() {
      // Caches of anybody (including this user's older logins) go first:
      // nothing cached for one login is readable in another.
      for (const name of await allNames()) {
        if (name.startsWith(`${PREFIX}cache-`) && name !== this.cacheName) await drop(name);
      }
      remember(this.cacheName);
      remember(this.outboxName);
      this.cache = await idb.openDB(this.cacheName, 1, {
        upgrade(db) {
          db.createObjectStore("snapshot");
        },
      });
      this.outbox = await idb.openDB(this.outboxName, 1, {
        upgrade(db) {
          const items = db.createObjectStore("items", { keyPath: "key" });
          items.createIndex("created_at", "created_at");
          db.createObjectStore("meta");
        },
      });
      await this.adoptOlderOutboxes();
      return this;
    }

    /* The same user logged in again (new salt): move what an earlier login
       left unsent into this outbox. Other users' outboxes stay untouched. */
    async adoptOlderOutboxes() {
      const mine = `${PREFIX}outbox-${this.user}-`;
      for (const name of await allNames()) {
        if (!name.startsWith(mine) || name === this.outboxName) continue;
        const older = await idb.openDB(name, 1, {
          upgrade(db) {
            db.createObjectStore("items", { keyPath: "key" }).createIndex("created_at", "created_at");
            db.createObjectStore("meta");
          },
        });
        const items = await older.getAll("items");
        const lastSync = await older.get("meta", "last_sync");
        older.close();
        const tx = this.outbox.transaction(["items", "meta"], "readwrite");
        for (const item of items) await tx.objectStore("items").put(item);
        if (lastSync && !(await tx.objectStore("meta").get("last_sync"))) await tx.objectStore("meta").put(lastSync, "last_sync");
        await tx.done;
        await drop(name);
      }
    }

    async snapshot() {
      const data = await this.cache.get("snapshot", "current");
      if (data && Date.parse(data.expires_at) <= Date.now()) {
        await this.cache.delete("snapshot", "current");
        return null;
      }
      return data || null;
    }
    putSnapshot(data) {
      return this.cache.put("snapshot", data, "current");
    }
    clearSnapshot() {
      return this.cache.clear("snapshot");
    }

    items() {
      return this.outbox.getAllFromIndex("items", "created_at");
    }
    item(key) {
      return this.outbox.get("items", key);
    }
    putItem(item) {
      return this.outbox.put("items", item);
    }
    deleteItem(key) {
      return this.outbox.delete("items", key);
    }
    meta(name) {
      return this.outbox.get("meta", name);
    }
    putMeta(name, value) {
      return this.outbox.put("meta", value, name);
    }

    close() {
      if (this.cache) this.cache.close();
      if (this.outbox) this.outbox.close();
    }
  }

  /* Logout: every cache on this phone, this user's outboxes and the cached
     shell go; another account's unsent outbox stays locked to that account. */
  async function wipeAll(user) {
    const mine = `${PREFIX}outbox-${user}-`;
    for (const name of await allNames()) {
      if (name.startsWith(`${PREFIX}cache-`) || name.startsWith(mine)) await drop(name);
    }
    if (window.caches) await caches.delete("grassroots-field-shell");
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "field-clear" });
    }
  }

  window.FieldStore = { Store, wipeAll, allNames };
})();
