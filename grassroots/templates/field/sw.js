/* The field app's service worker (ADR 0055). Workbox comes from our own
   static files, never a CDN: the shell and its assets are precached so the
   app opens with no network; the shell page itself is network-first so that
   whoever is logged in gets their own page when online. */
importScripts({{ workbox_sw|safe }});
workbox.setConfig({ modulePathPrefix: {{ workbox_prefix|safe }}, debug: false });
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-precaching");
workbox.loadModule("workbox-routing");
workbox.loadModule("workbox-strategies");

const SHELL_URL = {{ shell_url|safe }};
const SHELL_CACHE = "grassroots-field-shell";

workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
// Bootstrap Icons' CSS asks for its font with a version query string.
workbox.precaching.precacheAndRoute({{ precache|safe }}, { ignoreURLParametersMatching: [/.*/] });

// Only a real page of the logged-in user is kept: never a redirect to the
// login page or an error.
const onlyOwnPage = {
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(async (cache) => {
      const response = await fetch(SHELL_URL, { credentials: "same-origin" });
      if (response.status === 200 && !response.redirected) await cache.put(SHELL_URL, response);
    }).catch(() => undefined),
  );
  self.skipWaiting();
});

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.pathname === SHELL_URL,
  // ignoreVary: Django varies on Cookie and Accept-Language, which a cached
  // page matched offline must not depend on (there is only one user's shell).
  new workbox.strategies.NetworkFirst({
    cacheName: SHELL_CACHE, networkTimeoutSeconds: 5, plugins: [onlyOwnPage], matchOptions: { ignoreVary: true },
  }),
);

// The app asks for this on logout: the cached shell names the user.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "field-clear") {
    event.waitUntil(caches.delete(SHELL_CACHE));
  }
});
