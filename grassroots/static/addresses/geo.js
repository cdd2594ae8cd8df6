/* The position of an address being collected: asks the browser's
   geolocation API (the phone asks the user first) and fills the hidden
   latitude/longitude fields of the form (WGS-84, six decimals). Runs when
   the page opens and again on the "记录位置" button. No inline script:
   the CSP forbids them. Without permission the fields stay empty. */
(function () {
  "use strict";
  var lat = document.querySelector('input[data-geo="latitude"]');
  var lng = document.querySelector('input[data-geo="longitude"]');
  var status = document.querySelector("[data-geo-status]");
  var button = document.querySelector("[data-geo-locate]");
  if (!lat || !lng) { return; }

  function say(text) { if (status) { status.textContent = text; } }

  function locate() {
    if (!("geolocation" in navigator)) { say("此浏览器不支持定位,可不填位置。"); return; }
    say("正在定位…");
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        var accuracy = Math.round(pos.coords.accuracy || 0);
        say("已定位:" + lat.value + ", " + lng.value + (accuracy ? "(误差约 " + accuracy + " 米)" : ""));
      },
      function (err) {
        lat.value = ""; lng.value = "";
        say(err && err.code === 1 ? "未允许定位,本次不记录位置。" : "暂时无法定位,可稍后点“记录位置”重试。");
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  if (button) { button.addEventListener("click", locate); }
  if (!lat.value) { locate(); }
})();
