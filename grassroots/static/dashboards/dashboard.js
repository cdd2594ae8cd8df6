/* Tooltips use renderMode "richText": drawn by ECharts, not HTML with inline
   styles (the CSP forbids them). The dashboard's charts: the matter trend (lines), the comparison of the
   node's children (bars: open, overdue, late-3x; a click on a bar opens that
   child's matter queue with the same filter), the safety and registration
   months (bars; a click opens the month's rows). Data comes from the
   json_script element #dashboard-data (the CSP forbids inline scripts); the
   tables beside the charts hold the same figures as links. */
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-data");
  if (!holder || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var charts = [];

  function chart(id) {
    var box = document.getElementById(id);
    if (!box) { return null; }
    var c = window.echarts.init(box, null, { renderer: "svg" });
    charts.push(c);
    return c;
  }

  function go(url) { if (url) { window.location.assign(url); } }

  var matters = data.matters;
  if (matters) {
    var trend = chart("chart-trend");
    if (trend) {
      var points = matters.trend;
      trend.setOption({
        color: ["#0d6efd", "#198754", "#6c757d", "#fd7e14", "#dc3545"],
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { top: 0 },
        grid: { left: 40, right: 12, top: 36, bottom: 28 },
        xAxis: { type: "category", data: points.map(function (p) { return p.day.slice(5); }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: "新增", type: "line", data: points.map(function (p) { return p.created; }), showSymbol: false },
          { name: "关闭", type: "line", data: points.map(function (p) { return p.closed; }), showSymbol: false },
          { name: "未办结", type: "line", data: points.map(function (p) { return p.open_at_end; }), showSymbol: false },
          { name: "逾期", type: "line", data: points.map(function (p) { return p.overdue_at_end; }), showSymbol: false },
          { name: "严重逾期", type: "line", data: points.map(function (p) { return p.late3_at_end; }), showSymbol: false }
        ]
      });
      trend.on("click", function (e) { if (e.seriesName === "新增") { go(points[e.dataIndex].created_url); } });
    }
    var bars = chart("chart-children");
    if (bars && matters.children.length) {
      var children = matters.children;
      var keys = ["open", "overdue", "late3"];
      bars.setOption({
        color: ["#0d6efd", "#fd7e14", "#dc3545"],
        tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 40, right: 12, top: 36, bottom: 64 },
        xAxis: { type: "category", data: children.map(function (c) { return c.label; }), axisLabel: { interval: 0, rotate: children.length > 6 ? 40 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: "未办结", type: "bar", data: children.map(function (c) { return c.open.value; }) },
          { name: "逾期", type: "bar", data: children.map(function (c) { return c.overdue.value; }) },
          { name: "严重逾期", type: "bar", data: children.map(function (c) { return c.late3.value; }) }
        ]
      });
      bars.on("click", function (e) { go(children[e.dataIndex][keys[e.seriesIndex]].url); });
    }
  }

  var safety = data.safety;
  var safetyChart = safety && chart("chart-safety");
  if (safetyChart) {
    safetyChart.setOption({
      color: ["#0d6efd", "#dc3545", "#198754"],
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: safety.trend.map(function (m) { return m.month; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "检查", type: "bar", data: safety.trend.map(function (m) { return m.inspections; }) },
        { name: "隐患", type: "bar", data: safety.trend.map(function (m) { return m.hazards; }) },
        { name: "销号", type: "bar", data: safety.trend.map(function (m) { return m.closed; }) }
      ]
    });
    safetyChart.on("click", function (e) { go(safety.trend[e.dataIndex].url); });
  }

  var registration = data.registration;
  var registrationChart = registration && chart("chart-registration");
  if (registrationChart) {
    registrationChart.setOption({
      color: ["#0d6efd", "#198754"],
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: registration.months.map(function (m) { return m.month; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "受理", type: "bar", data: registration.months.map(function (m) { return m.accepted; }) },
        { name: "办结发证", type: "bar", data: registration.months.map(function (m) { return m.issued; }) }
      ]
    });
    registrationChart.on("click", function (e) { go(registration.months[e.dataIndex].url); });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
