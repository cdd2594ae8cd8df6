/* LED notice boards (publicity/led.html, led_compact.html).
 *
 * Rotates the slides every data-seconds, keeps the clock (server time, in the
 * server's time zone, whatever the player's own clock says) and fetches the
 * deck again every data-refresh-seconds. When the network or the server is
 * down the last content stays on screen and the fetch is retried; the deck is
 * replaced only when its signature changed, so the rotation is not reset every
 * minute. After some hours online the page reloads itself once (new scripts,
 * no slow leaks in a browser that runs for weeks). */
(function () {
  "use strict";

  var body = document.body;
  var seconds = Math.min(120, Math.max(2, parseInt(body.dataset.seconds, 10) || 15));
  var refreshSeconds = Math.max(5, parseInt(body.dataset.refreshSeconds, 10) || 60);
  var refreshUrl = body.dataset.refreshUrl;
  var tz = body.dataset.tz || "Asia/Shanghai";
  var RETRY_SECONDS = Math.min(15, refreshSeconds);
  var FETCH_TIMEOUT_MS = 15000;
  var RELOAD_AFTER_MS = 6 * 3600 * 1000;

  var offset = 0; // server clock minus this machine's clock, in ms
  var serverNow = parseInt(body.dataset.now, 10);
  if (serverNow) offset = serverNow - Date.now();
  var loadedAt = Date.now();
  var lastUpdate = Date.now();

  var index = 0;
  var rotateTimer = null;
  var refreshTimer = null;

  function $(selector) { return document.querySelector(selector); }

  var dateEl = $("[data-led-date]");
  var timeEl = $("[data-led-time]");
  var counterEl = $("[data-led-counter]");
  var timerEl = $("[data-led-timer]");
  var offlineEl = $("[data-led-offline]");
  var updatedEl = $("[data-led-updated]");

  function formatter(options) {
    try {
      return new Intl.DateTimeFormat("zh-CN", Object.assign({ timeZone: tz }, options));
    } catch (e) {
      return new Intl.DateTimeFormat("zh-CN", options);
    }
  }
  var dateFormat = formatter({ year: "numeric", month: "long", day: "numeric", weekday: "long" });
  var timeFormat = formatter({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  var shortTimeFormat = formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  function now() { return new Date(Date.now() + offset); }

  function tick() {
    var moment = now();
    if (dateEl) dateEl.textContent = dateFormat.format(moment).replace(/日星期/, "日 星期");
    if (timeEl) timeEl.textContent = timeFormat.format(moment);
  }

  function slides() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-led-deck] [data-led-slide]"));
  }

  function restartTimerBar() {
    if (!timerEl) return;
    timerEl.classList.remove("is-running");
    void timerEl.offsetWidth; // restart the CSS animation
    if (slides().length > 1) timerEl.classList.add("is-running");
  }

  function show(next) {
    var all = slides();
    if (!all.length) {
      if (counterEl) counterEl.textContent = "";
      restartTimerBar();
      return;
    }
    index = ((next % all.length) + all.length) % all.length;
    all.forEach(function (slide, i) {
      slide.classList.toggle("is-active", i === index);
    });
    if (counterEl) counterEl.textContent = all.length > 1 ? (index + 1) + " / " + all.length : "";
    restartTimerBar();
  }

  function startRotation() {
    if (rotateTimer) clearInterval(rotateTimer);
    rotateTimer = setInterval(function () { show(index + 1); }, seconds * 1000);
  }

  function setOffline(offline) {
    if (!offlineEl) return;
    if (offline && updatedEl) updatedEl.textContent = shortTimeFormat.format(new Date(lastUpdate + offset));
    offlineEl.hidden = !offline;
    body.classList.toggle("is-offline", offline);
  }

  function schedule(delaySeconds) {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, delaySeconds * 1000);
  }

  function applyDeck(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("[data-led-deck]");
    var current = $("[data-led-deck]");
    if (!fresh || !current) throw new Error("deck missing");
    if (fresh.dataset.signature === current.dataset.signature) return;
    current.replaceWith(document.importNode(fresh, true));
    show(0);
    startRotation();
  }

  function refresh() {
    if (!refreshUrl || !window.fetch) return;
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (controller) controller.abort(); }, FETCH_TIMEOUT_MS);
    fetch(refreshUrl, {
      cache: "no-store",
      credentials: "omit",
      headers: { Accept: "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      // The Date header has whole seconds: follow it only when the clocks
      // drifted apart, so that the seconds on screen do not stutter.
      var date = Date.parse(response.headers.get("Date") || "");
      if (date && Math.abs(date - Date.now() - offset) > 2000) offset = date - Date.now();
      return response.text();
    }).then(function (html) {
      clearTimeout(timeout);
      applyDeck(html);
      lastUpdate = Date.now();
      setOffline(false);
      if (Date.now() - loadedAt > RELOAD_AFTER_MS) {
        window.location.reload();
        return;
      }
      schedule(refreshSeconds);
    }).catch(function () {
      // Keep what is on screen and try again soon.
      clearTimeout(timeout);
      setOffline(true);
      schedule(RETRY_SECONDS);
    });
  }

  if (timerEl) timerEl.style.setProperty("--led-seconds", seconds + "s");
  tick();
  setInterval(tick, 1000);
  show(0);
  startRotation();
  schedule(refreshSeconds);
})();
