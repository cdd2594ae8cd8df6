/* Logging out anywhere on the site also clears the field app's data on this
   phone (ADR 0055): the cache databases, this user's outbox and the cached
   app shell go before the logout is posted. */
(function () {
  "use strict";
  const PREFIX = "grassroots-field-";
  for (const form of document.querySelectorAll("form[data-field-logout-site]")) {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.cleared) return;
      let registry = [];
      try {
        registry = JSON.parse(localStorage.getItem(`${PREFIX}dbs`) || "[]");
      } catch (error) {
        registry = [];
      }
      // Never opened the field app on this browser: nothing to clear, log out at once.
      if (!registry.length) return;
      event.preventDefault();
      const user = form.dataset.fieldLogoutSite;
      try {
        const names = new Set(registry);
        if (indexedDB.databases) for (const info of await indexedDB.databases()) if (info.name) names.add(info.name);
        const gone = (name) => name.startsWith(`${PREFIX}cache-`) || name.startsWith(`${PREFIX}outbox-${user}-`);
        for (const name of names) {
          if (gone(name)) {
            await new Promise((resolve) => {
              const request = indexedDB.deleteDatabase(name);
              request.onsuccess = request.onerror = request.onblocked = () => resolve();
            });
          }
        }
        localStorage.setItem(`${PREFIX}dbs`, JSON.stringify(registry.filter((name) => !gone(name))));
        if (window.caches) await caches.delete("grassroots-field-shell");
      } finally {
        form.dataset.cleared = "1";
        form.submit();
      }
    });
  }
})();
