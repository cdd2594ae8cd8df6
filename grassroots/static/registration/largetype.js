// Large type (大字) for applicants' pages: toggles the `large-type` class on
// <body> and remembers the choice in a cookie, which the server reads to
// render the next page in large type from the first paint. No inline
// scripts: the CSP allows only files from this site.
(function () {
  "use strict";

  var COOKIE = "largetype";
  var ONE_YEAR = 365 * 24 * 3600;

  function remember(on) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + (on ? "1" : "0") + "; path=/; max-age=" + ONE_YEAR + "; SameSite=Lax" + secure;
    try {
      window.localStorage.setItem(COOKIE, on ? "1" : "0");
    } catch (e) {
      // Private browsing may refuse storage; the cookie is enough.
    }
  }

  function stored() {
    var match = document.cookie.match(/(?:^|;\s*)largetype=([01])/);
    if (match) {
      return match[1] === "1";
    }
    try {
      return window.localStorage.getItem(COOKIE) === "1";
    } catch (e) {
      return false;
    }
  }

  function apply(on) {
    document.body.classList.toggle("large-type", on);
    document.querySelectorAll("[data-largetype-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var label = button.querySelector("[data-largetype-label]");
      if (label) {
        label.textContent = on ? "标准字" : "大字";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply(stored() || document.body.classList.contains("large-type"));
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-largetype-toggle]") : null;
    if (!target) {
      return;
    }
    var on = !document.body.classList.contains("large-type");
    remember(on);
    apply(on);
  });
})();
