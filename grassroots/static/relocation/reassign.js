// 包户调整: "全选本页" ticks or clears every unit of the page.
(function () {
  const all = document.getElementById("tick-all");
  if (!all) return;
  all.addEventListener("change", function () {
    for (const box of document.querySelectorAll('input[name="units"]')) box.checked = all.checked;
  });
})();
