// The service desk's report charts (desk/report.html): ECharts from the page's JSON block
// (json_script "desk-report-charts"; the CSP allows no inline script). Each spec names its element.
(function () {
  "use strict";
  function start() {
    var block = document.getElementById("desk-report-charts");
    if (!block || typeof window.echarts === "undefined") return;
    var specs = JSON.parse(block.textContent || "[]");
    var charts = [];
    specs.forEach(function (spec) {
      var el = document.getElementById(spec.el);
      if (!el) return;
      var option;
      if (spec.type === "pie") {
        option = {
          title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
          tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
          legend: { bottom: 0, type: "scroll" },
          series: [{ type: "pie", radius: ["35%", "62%"], center: ["50%", "52%"],
                     data: spec.data.filter(function (d) { return d.value > 0; }),
                     label: { formatter: "{b}\n{c}" } }],
        };
      } else {
        option = {
          title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: { bottom: 0, type: "scroll" },
          grid: { left: 48, right: 16, top: 40, bottom: 56, containLabel: true },
          xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
          yAxis: { type: "value", minInterval: 1 },
          series: spec.series.map(function (s) {
            return { name: s.name, type: "bar", stack: spec.stack ? "total" : undefined, data: s.data, barMaxWidth: 40 };
          }),
        };
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
