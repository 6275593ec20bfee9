import type { Range } from '../../../language/range.js';
import type { RunOutcome } from '../run/run-flow.js';
import { el, json } from './dom.js';

/**
 * The outcome of a run: action and reason, the payload, every output field with the source values and the
 * `.map` line that produced it (click to highlight), upsert effects, and the generated JSONata.
 */
export function renderOutcome(container: HTMLElement, outcome: RunOutcome, highlight: (range: Range) => void): void {
  container.replaceChildren();
  container.append(
    el('p', {}, el('span', { class: `action ${outcome.action}`, 'data-testid': 'action' }, outcome.action), ' ', el('span', { 'data-testid': 'reason' }, outcome.reason)),
  );
  if (outcome.error) {
    const location = outcome.error.location;
    const link = el('button', { 'data-testid': 'error-place' }, `show ${outcome.error.where}`);
    link.addEventListener('click', () => highlight(location.range));
    container.append(link);
    highlight(location.range);
  }
  if (outcome.payload !== null) {
    container.append(el('h3', {}, 'Payload'), Object.assign(json(outcome.payload), { id: 'payload' }));
    container.lastElementChild?.setAttribute('data-testid', 'payload');
  }
  if (outcome.fields.length > 0) {
    const table = el('table', { 'data-testid': 'fields' }, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'value'), el('th', {}, 'from'), el('th', {}, 'rule')));
    for (const field of outcome.fields) {
      const sources = field.sources.map((s) => `${s.path} = ${s.value === undefined ? 'absent' : short(s.value)}`).join('\n');
      const row = el('tr', { class: 'field', 'data-field': field.path }, el('td', {}, field.path), el('td', {}, JSON.stringify(field.value)), el('td', {}, el('pre', {}, sources)), el('td', { class: 'where' }, field.where ?? ''));
      const location = field.location;
      if (location) {
        row.addEventListener('click', () => {
          table.querySelector('tr.selected')?.classList.remove('selected');
          row.classList.add('selected');
          highlight(location.range);
        });
      }
      table.append(row);
    }
    container.append(el('h3', {}, 'Fields and where they came from'), table);
  }
  if (outcome.upserts.length > 0) {
    container.append(el('h3', {}, 'Upserts (not sent: the playground only shows them)'));
    for (const upsert of outcome.upserts) container.append(el('p', {}, `${upsert.action} ${upsert.entity} with ${upsert.key} = ${JSON.stringify(upsert.value)}`), json(upsert.payload));
  }
  if (outcome.writeBack !== null) container.append(el('h3', {}, 'Write back to the source record'), json(outcome.writeBack));
  const fragments = el('details', { 'data-testid': 'fragments' }, el('summary', {}, 'Generated JSONata'));
  for (const { role, fragment } of outcome.fragments) fragments.append(el('h4', {}, role), el('pre', { class: 'json' }, fragment.jsonata));
  container.append(fragments);
}

/** A source value in the lineage table: whole when short, else its shape (`[4 elements]`) and a beginning. */
function short(value: unknown): string {
  const text = JSON.stringify(value);
  if (text.length <= 80) return text;
  return Array.isArray(value) ? `[${value.length} elements] ${text.slice(0, 60)}…` : `${text.slice(0, 77)}…`;
}
