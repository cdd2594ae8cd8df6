/* The field app: opens this user's storage, shows the screens, keeps the
   outbox syncing (on open, on `online`, after each record, by hand, and with
   backoff after a failure). */
(function () {
  "use strict";
  const { screens, h } = FieldScreens;
  const config = JSON.parse(document.getElementById("field-config").textContent);
  const main = document.getElementById("field-main");
  const EMPTY = { households: [], matters: [], care: [], address_tasks: [], premises: [], checklists: [], categories: [], options: {} };

  const app = {
    config,
    snapshot: EMPTY,
    items: [],
    lastSync: null,
    options() {
      return this.snapshot.options || {};
    },
    toast(text) {
      const note = h("div", { class: "field-toast", role: "status", testid: "toast" }, text);
      document.body.append(note);
      setTimeout(() => note.remove(), 4000);
    },
    notFound() {
      return h("section", {}, h("p", { class: "text-muted" }, "本机没有这条数据(可能已不在您的网格,或数据已过期)。"), h("a", { href: "#home" }, "返回今日任务"));
    },
    editing(key, type) {
      const item = key && this.items.find((x) => x.key === key && x.type === type);
      return item ? structuredClone(item.body) : null;
    },
    editErrors(key) {
      const item = key && this.items.find((x) => x.key === key);
      return item && item.result ? item.result.errors : null;
    },
    async save(type, body, summary, editKey) {
      if (editKey) await this.outbox.replace(editKey, body, summary);
      else await this.outbox.add(type, body, summary);
      this.toast(navigator.onLine ? "已保存,正在同步。" : "已保存到发件箱,联网后自动同步。");
      location.hash = "#outbox";
    },
    async syncNow() {
      if (!navigator.onLine) {
        this.toast("当前无网络,联网后会自动同步。");
        return;
      }
      this.outbox.failures = 0;
      const pending = this.outbox.sync();
      await this.refresh();
      await pending;
    },
    async resolve(key, option) {
      try {
        await this.outbox.resolve(key, option.code);
        this.toast(`已处理:${option.label}`);
      } catch (error) {
        this.toast(error.message);
      }
      await this.refresh();
    },
    async refresh() {
      this.snapshot = (await this.store.snapshot()) || EMPTY;
      this.items = await this.store.items();
      this.lastSync = await this.store.meta("last_sync");
      const pending = this.items.filter((x) => x.status === "pending").length;
      const conflicts = this.items.filter((x) => x.status === "conflict").length;
      document.querySelector('[data-testid="pending-count"]').textContent = pending ? String(pending) : "";
      document.querySelector('[data-testid="conflict-count"]').textContent = conflicts ? String(conflicts) : "";
      document.querySelector('[data-testid="grid-name"]').textContent = this.snapshot.worker ? this.snapshot.worker.grid.name : "";
      document.querySelector('[data-testid="relogin"]').classList.toggle("d-none", !this.outbox.locked);
      this.render();
    },
    render() {
      const [name, ...args] = (location.hash.slice(1) || "home").split("/").map(decodeURIComponent);
      const screen = screens[name] || screens.home;
      // A form keeps what the worker typed while a sync redraws the lists.
      if (main.querySelector("form") && main.dataset.route === location.hash) return;
      main.dataset.route = location.hash;
      if (this.snapshot === EMPTY && !["outbox", "conflicts"].includes(name)) {
        main.replaceChildren(h("section", { testid: "no-snapshot" }, h("h1", { class: "field-h1" }, "今日任务"),
          h("p", { class: "text-muted" }, this.outbox.locked ? "登录已过期,请重新登录后下载本网格数据。" : "本机还没有本网格的数据,联网后会自动下载。")));
      } else {
        main.replaceChildren(screen(this, ...args));
      }
      for (const tab of document.querySelectorAll("[data-tab]")) tab.classList.toggle("active", tab.dataset.tab === name);
      document.body.dataset.ready = "1";
    },
  };

  function netStatus() {
    const badge = document.querySelector('[data-testid="net-status"]');
    badge.textContent = navigator.onLine ? "在线" : "离线";
    badge.className = `badge ${navigator.onLine ? "text-bg-success" : "text-bg-secondary"}`;
  }

  function hookLogout() {
    const form = document.querySelector("form[data-field-logout]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pending = app.items.filter((x) => x.status === "pending").length;
      if (pending && navigator.onLine && !app.outbox.locked) await app.outbox.sync();
      const left = (await app.store.items()).filter((x) => x.status === "pending").length;
      if (left && !window.confirm(`还有 ${left} 条记录未同步,退出后将从本机删除。确定退出吗?`)) return;
      app.store.close();
      await FieldStore.wipeAll(config.user);
      form.submit();
    });
  }

  async function start() {
    netStatus();
    app.store = await new FieldStore.Store(config.user, config.salt).open();
    app.outbox = new FieldOutbox.Outbox(app.store, config, () => app.refresh());
    hookLogout();
    window.addEventListener("hashchange", () => {
      main.dataset.route = "";
      app.render();
    });
    window.addEventListener("online", () => {
      netStatus();
      app.outbox.failures = 0;
      app.outbox.sync();
    });
    window.addEventListener("offline", netStatus);
    await app.refresh();
    if (navigator.onLine) app.outbox.sync();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.sw, { scope: config.scope }).catch(() => undefined);
    }
    setInterval(async () => {
      // The snapshot may expire while the app stays open.
      if (app.snapshot !== EMPTY && Date.parse(app.snapshot.expires_at) <= Date.now()) await app.refresh();
    }, 60000);
  }

  window.fieldApp = app;
  start().catch((error) => {
    main.replaceChildren(h("p", { class: "field-warn p-3" }, `无法打开本机存储:${error.message}`));
  });
})();
