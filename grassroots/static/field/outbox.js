/* The outbox (ADR 0055). Every record gets a crypto.randomUUID() key and is
   written to IndexedDB before anything else. Sync sends batches of at most 50
   pending items; the server is idempotent per key, so a batch lost after the
   server committed is simply sent again. Network failures back off
   exponentially with jitter; 401/403 lock the outbox until the same user logs
   in again. */
(function () {
  "use strict";
  const BATCH = 50;
  const BASE_DELAY = 2000;
  const MAX_DELAY = 5 * 60 * 1000;
  // Status of an item on the phone -> what the worker reads.
  const LABELS = {
    pending: "待同步",
    synced: "已同步",
    invalid: "需处理",
    refused: "需处理",
    conflict: "需处理",
    discarded: "已放弃",
    replaced: "已修改重发",
  };

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  class AuthError extends Error {}

  async function api(url, options) {
    const response = await fetch(url, {
      credentials: "same-origin",
      redirect: "error",
      ...options,
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken(), ...(options && options.headers) },
    });
    if (response.status === 401 || response.status === 403) throw new AuthError("请重新登录");
    return response;
  }

  class Outbox {
    constructor(store, config, onChange) {
      this.store = store;
      this.config = config;
      this.onChange = onChange;
      this.running = null;
      this.failures = 0;
      this.timer = null;
      this.locked = false;
    }

    /* A new record: stored first, then (maybe) sent. */
    async add(type, body, summary) {
      const item = {
        key: crypto.randomUUID(),
        type,
        body,
        summary,
        created_at: new Date().toISOString(),
        status: "pending",
        result: null,
      };
      await this.store.putItem(item);
      this.onChange();
      this.syncSoon();
      return item;
    }

    /* "invalid"/"refused" are final for that key: the edited record goes out
       under a new key and the old one is kept as replaced. */
    async replace(oldKey, body, summary) {
      const old = await this.store.item(oldKey);
      const item = await this.add(old.type, body, summary || old.summary);
      old.status = "replaced";
      old.replaced_by = item.key;
      await this.store.putItem(old);
      this.onChange();
      return item;
    }

    syncSoon() {
      if (navigator.onLine && !this.locked) setTimeout(() => this.sync(), 0);
    }

    scheduleRetry() {
      clearTimeout(this.timer);
      const delay = Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.min(this.failures, 10));
      const jittered = delay / 2 + Math.random() * (delay / 2);
      this.nextRetryAt = Date.now() + jittered;
      this.timer = setTimeout(() => this.sync(), jittered);
    }

    sync() {
      if (!this.running) {
        this.running = this.syncOnce().finally(() => {
          this.running = null;
          this.onChange();
        });
      }
      return this.running;
    }

    async syncOnce() {
      if (this.locked) return;
      clearTimeout(this.timer);
      try {
        for (let round = 0; round < 100; round += 1) {
          const pending = (await this.store.items()).filter((item) => item.status === "pending");
          if (!pending.length) break;
          const batch = pending.slice(0, BATCH);
          const response = await api(this.config.sync, {
            method: "POST",
            body: JSON.stringify({ items: batch.map(({ key, type, created_at, body }) => ({ key, type, created_at, body })) }),
          });
          if (!response.ok) throw new Error(`同步失败(${response.status})`);
          const data = await response.json();
          for (const result of data.results) await this.record(result);
          await this.store.putMeta("last_sync", new Date().toISOString());
          if (data.results.length === 0) break;
        }
        await this.refreshSnapshot();
        this.failures = 0;
        this.lastError = null;
      } catch (error) {
        if (error instanceof AuthError) {
          await this.lock();
          return;
        }
        this.failures += 1;
        this.lastError = navigator.onLine ? error.message || "网络错误" : "无网络";
        this.scheduleRetry();
      }
    }

    async record(result) {
      const item = await this.store.item(result.key);
      if (!item) return;
      item.result = result;
      item.status = result.status === "accepted" || result.status === "duplicate" ? "synced" : result.status;
      if (item.status === "synced") item.synced_at = new Date().toISOString();
      await this.store.putItem(item);
    }

    async refreshSnapshot() {
      const response = await api(this.config.snapshot, { method: "GET" });
      if (!response.ok) throw new Error(`数据下载失败(${response.status})`);
      await this.store.putSnapshot(await response.json());
      await this.store.putMeta("last_snapshot", new Date().toISOString());
    }

    async resolve(key, option) {
      const url = this.config.resolve.replace("KEY", encodeURIComponent(key));
      let response;
      try {
        response = await api(url, { method: "POST", body: JSON.stringify({ option }) });
      } catch (error) {
        if (error instanceof AuthError) {
          await this.lock();
          throw error;
        }
        throw new Error("无网络,请联网后再处理冲突。");
      }
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.detail || data.message || `处理失败(${response.status})`);
      const item = await this.store.item(key);
      item.result = { ...item.result, ...data, resolved_option: option };
      item.status = data.status === "accepted" || data.status === "duplicate" ? "synced" : data.status;
      await this.store.putItem(item);
      this.onChange();
      this.syncSoon();
      return data;
    }

    /* The session ended: the cached data go, the outbox stays for this user. */
    async lock() {
      this.locked = true;
      clearTimeout(this.timer);
      await this.store.clearSnapshot();
      this.onChange();
    }
  }

  window.FieldOutbox = { Outbox, LABELS, AuthError };
})();
