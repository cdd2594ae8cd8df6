// Fill the code from the slip's QR link (#CODE) and drop it from the address
// bar: the fragment never reaches the server, and the next voter on a shared
// kiosk must not find it in the history. On the receipt page, a new scanned
// link (only the fragment changes) opens a fresh, empty ballot.
(function () {
  "use strict";
  var pattern = /^[0-9A-Za-z-]{12,20}$/;
  var input = document.querySelector("[data-ballot-code]");

  function fragment() { return window.location.hash.replace(/^#/, ""); }

  function fill() {
    var code = fragment();
    if (input && pattern.test(code)) {
      input.value = code.toUpperCase();
      window.history.replaceState(null, "", window.location.pathname);
    }
  }

  if (input) {
    fill();
    window.addEventListener("hashchange", fill);
  } else if (document.querySelector("[data-ballot-receipt]")) {
    window.addEventListener("hashchange", function () {
      if (pattern.test(fragment())) {
        window.location.replace(window.location.pathname + "?next=1" + window.location.hash);
      }
    });
  }
})();
