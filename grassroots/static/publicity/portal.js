// 公示栏: the "copy to WeChat group" button (clipboard API, with select() and
// execCommand as the fallback on old phones and plain-http pages), forms
// that disable their submit button after the first click (no double submit),
// and selects that submit their form when changed (the township chooser; its
// button stays for browsers without JavaScript).
(function () {
  "use strict";

  function showCopied(button) {
    var box = button.parentElement.querySelector("[data-copy-status]");
    if (box) {
      box.textContent = "已复制";
      window.setTimeout(function () { box.textContent = ""; }, 3000);
    }
  }

  function fallbackCopy(field, button) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (ignored) {
      done = false;
    }
    var box = button.parentElement.querySelector("[data-copy-status]");
    if (done) {
      showCopied(button);
    } else if (box) {
      box.textContent = "已选中,请长按或按 Ctrl+C 复制";
    }
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.querySelector(button.getAttribute("data-copy"));
      if (!field) { return; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { showCopied(button); },
          function () { fallbackCopy(field, button); }
        );
      } else {
        fallbackCopy(field, button);
      }
    });
  });

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value && select.form) { select.form.submit(); }
    });
  });
})();
