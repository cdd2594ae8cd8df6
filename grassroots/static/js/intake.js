// Small helpers for the 说事 forms (no inline scripts: the CSP allows only
// files from this site).
(function () {
  "use strict";

  // Forms marked data-once: disable the submit button after the first click
  // so that a slow phone connection does not send the form twice. (The server
  // also recognises a repeated submission by its idempotency key.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) {
      return;
    }
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.dataset.label = button.textContent;
      button.textContent = "正在提交…";
    });
  });

  // Coming back with the browser's back button restores the page as it was:
  // give the buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        if (button.dataset.label) {
          button.textContent = button.dataset.label;
        }
      });
    });
  });

  // A search box inside a form (the standard-address picker): Enter runs
  // the search instead of submitting the half-filled form.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target instanceof HTMLInputElement && target.hasAttribute("data-no-submit")) {
      event.preventDefault();
      target.dispatchEvent(new Event("search", { bubbles: true }));
    }
  });

  // Visit log: "添加一件事" adds a matter block from the formset's empty form.
  function renumber(container) {
    container.querySelectorAll("[data-matter-number]").forEach(function (label, index) {
      label.textContent = String(index + 1);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var add = target.closest("[data-add-matter]");
    if (add) {
      event.preventDefault();
      var container = document.getElementById("matter-blocks");
      var template = document.getElementById("matter-template");
      var total = document.querySelector("input[name$='-TOTAL_FORMS']");
      var max = document.querySelector("input[name$='-MAX_NUM_FORMS']");
      if (!container || !template || !total) {
        return;
      }
      var index = parseInt(total.value, 10) || 0;
      if (max && index >= parseInt(max.value, 10)) {
        add.disabled = true;
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      renumber(container);
      var blocks = container.querySelectorAll(".matter-block");
      var added = blocks[blocks.length - 1];
      var first = added && added.querySelector("input[type=text], textarea");
      if (first) {
        first.focus();
      }
      return;
    }
    var remove = target.closest("[data-remove-matter]");
    if (remove) {
      event.preventDefault();
      var block = remove.closest(".matter-block");
      var blocks = block && block.parentElement;
      if (block) {
        // The formset skips indexes whose fields are missing (empty forms).
        block.remove();
        if (blocks) {
          renumber(blocks);
        }
      }
    }
  });

  // WeChat relay: the description starts as the original message until the
  // staff member edits it.
  document.addEventListener("input", function (event) {
    var source = event.target;
    if (!(source instanceof HTMLTextAreaElement) || !source.id) {
      return;
    }
    document.querySelectorAll("[data-prefill-from='" + source.id + "']").forEach(function (field) {
      if (field.dataset.edited === "1") {
        return;
      }
      field.value = source.value.trim();
    });
    if (source.hasAttribute("data-prefill-from")) {
      source.dataset.edited = source.value ? "1" : "";
    }
  });
  // A form shown again after an error keeps what the user wrote.
  document.querySelectorAll("textarea[data-prefill-from]").forEach(function (field) {
    var source = document.getElementById(field.getAttribute("data-prefill-from") || "");
    if (field.value && (!source || field.value !== source.value.trim())) {
      field.dataset.edited = "1";
    }
  });
})();
