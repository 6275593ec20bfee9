/** The playground's element builder (text children are never parsed as HTML, so record data cannot inject markup). */
export { el, json } from '../../playground/src/ui/dom.js';

/** A tiny line chart of `values` (records synced per 6 hours). */
export function sparkline(values: readonly number[]): SVGSVGElement {
  const width = 112;
  const height = 22;
  const max = Math.max(1, ...values);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const points = values.map((v, i) => `${((i / Math.max(1, values.length - 1)) * (width - 2) + 1).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#1d3557');
  line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = `records created or updated per 6 hours, last 7 days (max ${max})`;
  svg.append(title);
  return svg;
}
