/* The big screen (ADR 0049): fetch the figures every N seconds and update the
   page in place. Each chart is created once and only fed with setOption, the
   village tiles are built once and recoloured, and the next fetch is
   scheduled only when the last one has finished, so an hour on the wall does
   not grow memory or pile up requests. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var echarts = window.echarts;
  var SVG = "http://www.w3.org/2000/svg";
  var TEXT = "#cfe3ff", AXIS = "#6f8fbf", GRID = "rgba(111,143,191,0.18)";
  var charts = {};
  var tileNodes = {};
  var tileKeys = "";
  var timer = null;

  function px(vw) { return Math.max(11, Math.round(window.innerWidth * vw / 100)); }

  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" }); }
    return charts[id];
  }

  function base() {
    var size = px(0.8);
    return {
      backgroundColor: "transparent",
      textStyle: { color: TEXT, fontSize: size },
      animationDuration: 400,
      animationDurationUpdate: 400,
      grid: { left: "2%", right: "4%", top: size * 3, bottom: "3%", containLabel: true },
      legend: { top: 0, textStyle: { color: TEXT, fontSize: size }, itemWidth: size * 1.6, itemHeight: size * 0.8 }
    };
  }

  function axis(type, data) {
    var size = px(0.75);
    return { type: type, data: data, axisLine: { lineStyle: { color: AXIS } }, axisLabel: { color: TEXT, fontSize: size },
      splitLine: { lineStyle: { color: GRID } }, minInterval: type === "value" ? 1 : undefined };
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    var text = value === null || value === undefined ? "—" : String(value);
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function empty(o, rows) {
    // An empty panel says so instead of drawing an empty ring or axis.
    o.title = { show: rows.length === 0, text: "暂无数据", left: "center", top: "middle", textStyle: { color: AXIS, fontSize: px(0.9), fontWeight: "normal" } };
    return o;
  }

  function drawTrend(m) {
    var o = base();
    o.tooltip = { trigger: "axis" };
    o.color = ["#4fc3ff", "#69f0ae", "#b39ddb", "#ffb74d", "#ff6b6b"];
    o.xAxis = axis("category", m.trend.days);
    o.yAxis = axis("value");
    o.series = [
      { name: "新增", type: "line", showSymbol: false, data: m.trend.created },
      { name: "办结", type: "line", showSymbol: false, data: m.trend.closed },
      { name: "办理中", type: "line", showSymbol: false, data: m.trend.open, areaStyle: { opacity: 0.12 } },
      { name: "逾期", type: "line", showSymbol: false, data: m.trend.overdue },
      { name: "严重逾期", type: "line", showSymbol: false, data: m.trend.late3 }
    ];
    chart("chart-trend").setOption(o);
  }

  function drawCategories(rows) {
    var o = base();
    o.grid.top = px(0.6);
    o.tooltip = { trigger: "axis" };
    o.xAxis = axis("value");
    o.yAxis = axis("category", rows.map(function (r) { return r.name; }).reverse());
    o.series = [{ type: "bar", barMaxWidth: px(1), itemStyle: { color: "#3fa9ff", borderRadius: [0, 4, 4, 0] },
      label: { show: true, position: "right", color: TEXT, fontSize: px(0.75) },
      data: rows.map(function (r) { return r.value; }).reverse() }];
    chart("chart-categories").setOption(empty(o, rows));
  }

  function drawMediation(med) {
    var o = base();
    o.tooltip = { trigger: "item" };
    o.color = ["#4fc3ff", "#ffb74d", "#b39ddb", "#69f0ae", "#ff8a80", "#90a4ae"];
    o.series = [{ type: "pie", radius: ["38%", "68%"], center: ["50%", "58%"],
      label: { color: TEXT, fontSize: px(0.72), formatter: "{b}\n{c}" }, data: med.by_source }];
    chart("chart-mediation").setOption(empty(o, med.by_source));
  }

  function drawSafety(s) {
    var o = base();
    o.tooltip = { trigger: "axis" };
    o.color = ["#ffb74d", "#69f0ae"];
    o.xAxis = axis("category", s.trend.months.map(function (m) { return m.slice(5) + "月"; }));
    o.yAxis = axis("value");
    o.series = [{ name: "发现", type: "bar", data: s.trend.hazards }, { name: "销号", type: "bar", data: s.trend.closed }];
    chart("chart-safety").setOption(o);
  }

  function drawRelocation(rows) {
    var o = base();
    o.grid.top = px(0.6);
    o.tooltip = { trigger: "axis", formatter: function (p) { var r = rows[rows.length - 1 - p[0].dataIndex]; return r.name + "<br>已签约 " + r.signed + " / " + r.total + " 户"; } };
    o.xAxis = axis("value"); o.xAxis.max = 100; o.xAxis.axisLabel.formatter = "{value}%";
    o.yAxis = axis("category", rows.map(function (r) { return r.name; }).reverse());
    o.series = [{ type: "bar", barMaxWidth: px(1.1), itemStyle: { color: "#69f0ae" },
      label: { show: true, position: "right", color: TEXT, fontSize: px(0.75), formatter: "{c}%" },
      data: rows.map(function (r) { return r.rate === null ? 0 : r.rate; }).reverse() }];
    chart("chart-relocation").setOption(empty(o, rows));
  }

  function drawIndicators(ind) {
    setText("ind-month", ind.month || "暂无");
    var body = document.getElementById("ind-rows");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    ind.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var cells = [r.name, r.value + " " + r.unit, r.yoy === null ? "—" : (r.yoy > 0 ? "+" : "") + r.yoy.toFixed(1) + "%"];
      cells.forEach(function (text, i) {
        var td = document.createElement("td");
        td.textContent = text;
        if (i === 2 && r.yoy !== null) { td.className = r.yoy >= 0 ? "up" : "down"; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function tileClass(t) { return t.late3 > 0 ? "#d93025" : t.overdue > 0 ? "#e08a00" : t.open > 0 ? "#1f6fd1" : "#2e7d4f"; }

  function buildTiles(tiles) {
    var svg = document.getElementById("tiles-svg");
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    tileNodes = {};
    var box = svg.getBoundingClientRect();
    var aspect = box.height > 0 ? box.width / box.height : 1.6;
    var cols = Math.max(1, Math.ceil(Math.sqrt(tiles.length * aspect)));
    var rows = Math.max(1, Math.ceil(tiles.length / cols));
    var w = 200, h = 120, gap = 10;
    svg.setAttribute("viewBox", "0 0 " + (cols * (w + gap) - gap) + " " + (rows * (h + gap) - gap));
    tiles.forEach(function (t, i) {
      var g = document.createElementNS(SVG, "g");
      var x = (i % cols) * (w + gap), y = Math.floor(i / cols) * (h + gap);
      g.setAttribute("transform", "translate(" + x + "," + y + ")");
      g.setAttribute("data-testid", "tile");
      g.setAttribute("data-name", t.name);
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", w); rect.setAttribute("height", h); rect.setAttribute("rx", 10);
      var name = document.createElementNS(SVG, "text");
      name.setAttribute("x", w / 2); name.setAttribute("y", 42); name.setAttribute("text-anchor", "middle"); name.setAttribute("font-size", 26);
      name.textContent = t.name;
      var figs = document.createElementNS(SVG, "text");
      figs.setAttribute("x", w / 2); figs.setAttribute("y", 95); figs.setAttribute("text-anchor", "middle"); figs.setAttribute("font-size", 36); figs.setAttribute("font-weight", 700);
      var title = document.createElementNS(SVG, "title");
      g.appendChild(title); g.appendChild(rect); g.appendChild(name); g.appendChild(figs);
      svg.appendChild(g);
      tileNodes[t.key] = { g: g, rect: rect, figs: figs, title: title };
    });
  }

  function drawTiles(tiles) {
    var keys = tiles.map(function (t) { return t.key; }).join("|");
    if (keys !== tileKeys) { buildTiles(tiles); tileKeys = keys; }
    tiles.forEach(function (t) {
      var n = tileNodes[t.key];
      n.rect.setAttribute("fill", tileClass(t));
      var text = t.open + " / " + t.overdue;
      if (n.figs.textContent !== text) { n.figs.textContent = text; }
      n.title.textContent = t.name + ":办理中 " + t.open + " 件,逾期 " + t.overdue + " 件,严重逾期 " + t.late3 + " 件";
      n.g.setAttribute("data-open", t.open);
      n.g.setAttribute("data-overdue", t.overdue);
    });
  }

  function render(d) {
    var m = d.matters;
    setText("kpi-today", m.today);
    setText("kpi-open", m.open);
    setText("kpi-overdue", m.overdue);
    setText("kpi-late3", m.late3);
    setText("updated", d.generated_at);
    setText("med-year", d.mediation.year);
    setText("med-total", d.mediation.total);
    setText("med-agreed", d.mediation.agreed);
    setText("safe-insp", d.safety.inspections);
    setText("safe-haz", d.safety.hazards);
    setText("safe-closed", d.safety.closed);
    setText("proj-count", d.projects.count);
    setText("proj-done", d.projects.done);
    drawTiles(d.tiles);
    drawTrend(m);
    drawCategories(d.categories);
    drawMediation(d.mediation);
    drawSafety(d.safety);
    drawRelocation(d.relocation);
    drawIndicators(d.indicators);
  }

  function schedule() { timer = window.setTimeout(refresh, config.refresh * 1000); }

  function refresh() {
    timer = null;
    var controller = new AbortController();
    var abort = window.setTimeout(function () { controller.abort(); }, Math.max(5000, config.refresh * 900));
    fetch(config.url, { credentials: "same-origin", cache: "no-store", signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) { throw new Error("revoked"); }
        if (!response.ok) { throw new Error("http"); }
        return response.json();
      })
      .then(function (d) { render(d); setText("status", ""); schedule(); })
      .catch(function (err) {
        if (err && err.message === "revoked") {
          setText("status", "大屏令牌无效或已停用,请联系街道工作人员。");
          return; // a revoked screen stops asking
        }
        setText("status", "数据更新失败,稍后自动重试");
        schedule();
      })
      .finally(function () { window.clearTimeout(abort); });
  }

  function tick() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    setText("clock", now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日 " + two(now.getHours()) + ":" + two(now.getMinutes()) + ":" + two(now.getSeconds()));
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      Object.keys(charts).forEach(function (id) { charts[id].resize(); });
      tileKeys = ""; // laid out again for the new shape at the next refresh
    }, 200);
  });
  tick();
  window.setInterval(tick, 1000);
  refresh();
}());
