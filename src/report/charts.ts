// Charts as inline SVG, rendered in Node by Apache ECharts' server-side renderer (no browser, no DOM, no
// network): echarts.init(null, null, { renderer: 'svg', ssr: true }) + renderToSVGString(). Every chart has a
// title, named axes and a legend when it has several series; colours are a print-safe palette.
import * as echarts from 'echarts';

export type ChartOption = echarts.EChartsCoreOption;

export const WIDTH = 1000;
const PALETTE = [
  '#2f6db5',
  '#e08a2c',
  '#3a9a5b',
  '#c0392b',
  '#7d5ba6',
  '#8c6d46',
  '#d56fa8',
  '#6b7b8c',
  '#b8a600',
  '#1fa5b3',
];

export function renderSvg(option: ChartOption, height = 360, width = WIDTH): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'Helvetica, Arial, sans-serif' },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const pct =
  (digits = 0) =>
  (v: number) =>
    `${(v * 100).toFixed(digits)}%`;

interface Series {
  name: string;
  data: number[];
  type?: 'bar' | 'line';
  stack?: string;
  dashed?: boolean;
}

function series(list: Series[], defaultType: 'bar' | 'line') {
  return list.map((s) => ({
    name: s.name,
    type: s.type ?? defaultType,
    data: s.data,
    ...(s.stack ? { stack: s.stack } : {}),
    ...(s.type === 'line' || defaultType === 'line'
      ? { showSymbol: false, lineStyle: { width: 2, ...(s.dashed ? { type: 'dashed' } : {}) } }
      : {}),
  }));
}

export interface CategoryChart {
  title: string;
  categories: string[];
  series: Series[];
  xName: string;
  yName: string;
  type?: 'bar' | 'line';
  /** Values are shares (0..1): axis labels in %. */
  percent?: boolean;
  /** Categories on the vertical axis (long labels). */
  horizontal?: boolean;
  height?: number;
  /** A reference line at this value (e.g. 1 = as planned). */
  markLine?: number;
}

/** Bars or lines over named categories. */
export function categoryChart(c: CategoryChart): string {
  const valueAxis = {
    type: 'value',
    name: c.yName,
    nameLocation: 'middle',
    nameGap: c.horizontal ? 30 : 55,
    axisLabel: c.percent ? { formatter: pct() } : {},
    splitLine: { lineStyle: { color: '#e5e5e5' } },
  };
  const categoryAxis = {
    type: 'category',
    data: c.categories,
    name: c.xName,
    nameLocation: 'middle',
    nameGap: c.horizontal ? 225 : 40,
    axisLabel: c.horizontal ? { width: 210, overflow: 'truncate' } : { interval: 0, hideOverlap: true },
    ...(c.horizontal ? { inverse: true } : {}),
  };
  const list = series(c.series, c.type ?? 'bar');
  if (c.markLine !== undefined && list[0]) {
    Object.assign(list[0], {
      markLine: {
        symbol: 'none',
        silent: true,
        lineStyle: { color: '#555', type: 'dashed' },
        label: { show: false },
        data: [c.horizontal ? { xAxis: c.markLine } : { yAxis: c.markLine }],
      },
    });
  }
  const height =
    c.height ??
    (c.horizontal ? Math.max(260, 90 + c.categories.length * 22 * Math.max(1, c.series.length * 0.7)) : 360);
  return renderSvg(
    {
      title: { text: c.title, left: 'center', textStyle: { fontSize: 15 } },
      legend: c.series.length > 1 ? { top: 34, type: 'plain' } : { show: false },
      grid: {
        left: c.horizontal ? 240 : 80,
        right: 30,
        top: c.series.length > 1 ? 76 : 50,
        bottom: c.horizontal ? 50 : 60,
      },
      xAxis: c.horizontal ? valueAxis : categoryAxis,
      yAxis: c.horizontal ? categoryAxis : valueAxis,
      series: list,
    },
    height,
  );
}

/** A line over a numeric x axis, with an optional diagonal for reference (Lorenz curves). */
export function xyChart(c: {
  title: string;
  xName: string;
  yName: string;
  series: { name: string; points: [number, number][] }[];
  diagonal?: boolean;
}): string {
  const axis = (name: string) => ({
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 40,
    min: 0,
    max: 1,
    axisLabel: { formatter: pct() },
    splitLine: { lineStyle: { color: '#e5e5e5' } },
  });
  const list: object[] = c.series.map((s) => ({
    name: s.name,
    type: 'line',
    data: s.points,
    showSymbol: false,
    lineStyle: { width: 2 },
  }));
  if (c.diagonal) {
    list.push({
      name: 'equal volume per HCP',
      type: 'line',
      data: [
        [0, 0],
        [1, 1],
      ],
      showSymbol: false,
      lineStyle: { type: 'dashed', color: '#888' },
      itemStyle: { color: '#888' },
    });
  }
  return renderSvg({
    title: { text: c.title, left: 'center', textStyle: { fontSize: 15 } },
    legend: { top: 34 },
    grid: { left: 80, right: 30, top: 70, bottom: 60 },
    xAxis: axis(c.xName),
    yAxis: axis(c.yName),
    series: list,
  });
}
