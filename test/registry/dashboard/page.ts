// Reading a Dashboard 2.0 page in the browser: its widgets and text, and what a ui-chart has drawn. Dashboard's
// production build exposes no globals; the Vue app's root vnode (#app._vnode) leads to each DBUIChart component,
// whose `chart` is its ECharts instance: the series it plots (getOption) and where each point lands on the
// canvas (convertToPixel), where the canvas is read back to see the series' colour there.
import type { Page } from 'playwright-core';

export interface ChartView {
  series: Array<{ name: string; type: string; data: unknown[] }>;
  xAxis: string[];
  /** For each point of the first series: whether the series' colour is drawn at its place on the canvas. */
  drawn: boolean[];
  /** Whether that colour is drawn where there is no point (the plot's empty top left corner): it must not be. */
  drawnElsewhere: boolean;
}

/** What the page shows: its title, its widgets' ids and classes, its text. */
export async function pageView(page: Page): Promise<{ title: string; widgets: string[]; text: string }> {
  return {
    title: await page.title(),
    widgets: await page.locator('[id^="nrdb-ui-widget-"]').evaluateAll((els) => els.map((e) => `${e.id} ${e.className}`)),
    text: await page.locator('#app').innerText(),
  };
}

/** The chart of widget `id` as drawn (undefined while it has no ECharts instance). */
export async function chartView(page: Page, id: string, rgb: [number, number, number]): Promise<ChartView | undefined> {
  return page.evaluate(({ id, rgb }) => {
    type Component = { type?: { name?: string }; props: Record<string, unknown>; proxy: Record<string, any>; subTree: VNode };
    type VNode = { component?: Component; children?: unknown; suspense?: { activeBranch?: VNode } } | null;
    const root = (document.querySelector('#app') as unknown as { _vnode?: VNode })._vnode;
    let chartComponent: Component | undefined;
    const todo: VNode[] = [root ?? null];
    while (todo.length > 0 && !chartComponent) {
      const v = todo.pop();
      if (!v || typeof v !== 'object') continue;
      if (v.component) {
        if (v.component.type?.name === 'DBUIChart' && v.component.props.id === id) chartComponent = v.component;
        todo.push(v.component.subTree);
      }
      if (Array.isArray(v.children)) todo.push(...(v.children as VNode[]));
      if (v.suspense) todo.push(v.suspense.activeBranch ?? null);
    }
    const chart = chartComponent?.proxy.chart;
    if (!chart) return undefined;
    const option = chart.getOption();
    const canvas = (chart.getDom() as HTMLElement).querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    const ratio = canvas.width / canvas.clientWidth;
    /** The series colour within 3 px of (px, py) (css pixels of the chart). */
    const colourNear = (px: number, py: number) => {
      const d = ctx.getImageData(Math.round((px - 3) * ratio), Math.round((py - 3) * ratio), Math.round(7 * ratio), Math.round(7 * ratio)).data;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i]! - rgb[0]) < 40 && Math.abs(d[i + 1]! - rgb[1]) < 40 && Math.abs(d[i + 2]! - rgb[2]) < 40 && d[i + 3]! > 200) return true;
      }
      return false;
    };
    const first = (option.series[0]?.data ?? []) as Array<[number, number]>;
    const xs = first.map((p) => p[0]);
    const ys = first.map((p) => p[1]);
    const corner = first.length > 0 ? chart.convertToPixel({ seriesIndex: 0 }, [Math.min(...xs), Math.max(...ys)]) as number[] : undefined;
    return {
      series: option.series.map((s: { name: string; type: string; data: unknown[] }) => ({ name: s.name, type: s.type, data: s.data })),
      xAxis: option.xAxis.map((a: { type: string }) => a.type),
      drawn: first.map((p) => {
        const [px, py] = chart.convertToPixel({ seriesIndex: 0 }, p) as number[];
        return colourNear(px!, py!);
      }),
      drawnElsewhere: corner ? colourNear(corner[0]! + 12, corner[1]! + 12) : false,
    };
  }, { id, rgb });
}
