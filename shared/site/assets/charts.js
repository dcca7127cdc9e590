// @ts-check
/**
 * Charts (ECharts, bundled with the site: no CDN, works offline). Each `[data-chart]` element names its kind and
 * the JSON island holding its data (layout.ts jsonIsland); the SVG renderer keeps the charts sharp when printed.
 */
(() => {
  /** @type {any} */
  const echarts = /** @type {any} */ (window).echarts;
  if (!echarts) return;
  /** @type {Record<string, (data: any) => any>} */
  const KINDS = {
    'body-series': (d) => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: d.years.map(String) },
      yAxis: { type: 'value', minInterval: 1 },
      series: d.series.map((/** @type {any} */ s) => ({ name: s.name, type: 'line', data: s.data, connectNulls: false, symbolSize: 7 })),
    }),
    'year-distribution': (d) => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: d.bins.map((/** @type {any} */ b) => b.label), name: '件' },
      yAxis: { type: 'value', minInterval: 1, name: '单位数' },
      series: [{ type: 'bar', data: d.bins.map((/** @type {any} */ b) => b.count) }],
    }),
  };
  for (const el of document.querySelectorAll('[data-chart]')) {
    const kind = el.getAttribute('data-chart') ?? '';
    const source = document.getElementById(el.getAttribute('data-source') ?? '');
    if (!source || !KINDS[kind]) continue;
    const chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(KINDS[kind](JSON.parse(source.textContent ?? '{}')));
    window.addEventListener('resize', () => chart.resize());
  }
})();
