// The flows the Dashboard tests deploy: the user's npm-downloads-chart seed (test/flows/fixtures' copy of
// ../shared/flows/npm-downloads-chart.json), unchanged or with its http request answering a canned npm reply
// (no network), and a small flow of our own on the seed's page: two inject nodes feeding a ui-chart whose one
// series ("Series A") takes x and y from msg.payload.x / msg.payload.y (the seed's chart has no y property
// set: it plots nothing, on Node-RED too).
import { readFileSync } from 'node:fs';
import { FLOW_FILE, HTTP_REQUEST_ID, replaceHttpRequest } from '../../flows/fixtures/npm-downloads-chart.substitute.js';

export { CHART_ID as SEED_CHART, TRIGGER_ID as SEED_TRIGGER } from '../../flows/fixtures/npm-downloads-chart.substitute.js';

export const SEED: Array<Record<string, any>> = JSON.parse(readFileSync(FLOW_FILE, 'utf8'));
/** The seed with its http request replaced by an inject of a canned npm answer (same id and wires). */
export const SEED_CANNED = SEED.map((n) => (n.id === HTTP_REQUEST_ID ? replaceHttpRequest(n) : n));
/** The seed's ui-page. */
export const SEED_PAGE = 'f10b4d0259e43aeb';

export const POINTS_CHART = 'c0ffee0000000003';
/** Sends three points at once (an array payload: one point each). */
export const POINTS_INJECT = 'c0ffee0000000002';
/** Sends one more point. */
export const ONE_MORE_INJECT = 'c0ffee0000000004';

export const POINTS_FLOW = [
  { id: 'c0ffee0000000001', type: 'tab', label: 'points chart', disabled: false, info: '' },
  {
    id: POINTS_INJECT, type: 'inject', z: 'c0ffee0000000001', name: 'points', props: [{ p: 'payload' }], repeat: '', crontab: '',
    once: false, onceDelay: 0.1, topic: '', payload: '[{"x":1,"y":5},{"x":2,"y":7},{"x":3,"y":4}]', payloadType: 'json',
    x: 150, y: 100, wires: [[POINTS_CHART]],
  },
  {
    id: ONE_MORE_INJECT, type: 'inject', z: 'c0ffee0000000001', name: 'one more', props: [{ p: 'payload' }], repeat: '', crontab: '',
    once: false, onceDelay: 0.1, topic: '', payload: '{"x":4,"y":9}', payloadType: 'json', x: 150, y: 160, wires: [[POINTS_CHART]],
  },
  {
    id: POINTS_CHART, type: 'ui-chart', z: 'c0ffee0000000001', group: 'c0ffee0000000005', name: '', label: 'Points', order: 1,
    chartType: 'line', category: 'Series A', categoryType: 'str', xAxisLabel: '', xAxisProperty: 'x', xAxisPropertyType: 'property',
    xAxisType: 'linear', xAxisFormat: '', xAxisFormatType: 'auto', xmin: '', xmax: '', yAxisLabel: '', yAxisProperty: 'y',
    yAxisPropertyType: 'property', ymin: '', ymax: '', bins: 10, action: 'append', stackSeries: false, pointShape: 'circle',
    pointRadius: 4, showLegend: true, removeOlder: 1, removeOlderUnit: '3600', removeOlderPoints: '',
    colors: ['#0095FF', '#FF0000', '#FF7F0E', '#2CA02C', '#A347E1', '#D62728', '#FF9896', '#9467BD', '#C5B0D5'],
    textColor: ['#666666'], textColorDefault: true, gridColor: ['#e5e5e5'], gridColorDefault: true,
    width: 6, height: 8, className: '', interpolation: 'linear', x: 400, y: 120, wires: [[]],
  },
  {
    id: 'c0ffee0000000005', type: 'ui-group', name: 'Points', page: SEED_PAGE, width: '6', height: '1', order: 2,
    showTitle: true, className: '', visible: 'true', disabled: 'false', groupType: 'default',
  },
];
