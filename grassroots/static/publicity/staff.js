// 晒事 staff pages: copy a prepared text (the WeChat message) to the clipboard.
(function () {
  "use strict";

  function fallbackCopy(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function showDone(id) {
    var done = document.querySelector('[data-copy-done="' + id + '"]');
    if (!done) return;
    done.classList.remove("d-none");
    window.setTimeout(function () { done.classList.add("d-none"); }, 3000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var id = button.getAttribute("data-copy-target");
    var field = document.getElementById(id);
    if (!field) return;
    var text = field.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { showDone(id); },
        function () { if (fallbackCopy(field)) showDone(id); }
      );
    } else if (fallbackCopy(field)) {
      showDone(id);
    }
  });
})();
