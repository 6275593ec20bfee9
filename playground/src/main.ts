import type { CompiledArtifact, CompiledFlow, Json } from '../../compiler/artifact.js';
import { CheckerClient } from './checker-client.js';
import { MapEditor, monaco } from './editor.js';
import { runFlow } from './run/run-flow.js';
import { decodeState, encodeState, type SharedState } from './share.js';
import { ActivityView } from './ui/activity-view.js';
import { byId, el } from './ui/dom.js';
import { renderProblems } from './ui/problems.js';
import { renderOutcome } from './ui/run-view.js';
import type { ShownDiagnostic } from './worker/protocol.js';

interface MappingFile { readonly name: string; readonly text: string }
interface Samples { readonly entities: Record<string, Json[]> }

/** What tests and the benchmark read (the page's state is otherwise private to this module). */
interface PlaygroundHandle {
  readonly monaco: typeof monaco;
  readonly editor: MapEditor['editor'];
  checks: number;
  diagnostics: readonly ShownDiagnostic[];
}
declare global {
  interface Window { mapline?: PlaygroundHandle }
}

const [mappings, samples] = await Promise.all([
  fetch('mappings.json').then((r) => r.json() as Promise<{ files: MappingFile[] }>),
  fetch('samples.json').then((r) => r.json() as Promise<Samples>),
]);
const texts = new Map(mappings.files.map((f) => [f.name, f.text]));
const checker = new CheckerClient();
const mapEditor = new MapEditor(byId('editor'), checker);
const handle: PlaygroundHandle = { monaco, editor: mapEditor.editor, checks: 0, diagnostics: [] };
window.mapline = handle;
let artifact: CompiledArtifact | null = null;
let wanted: { flow?: string; sample?: number } = {};

const fileSelect = byId<HTMLSelectElement>('file-select');
const flowSelect = byId<HTMLSelectElement>('flow-select');
const sampleSelect = byId<HTMLSelectElement>('sample-select');
const pasted = byId<HTMLTextAreaElement>('paste-json');

function allFiles(): { name: string; text: string }[] {
  return [...texts].map(([name, text]) => ({ name, text }));
}

function openFile(name: string): void {
  if (!texts.has(name)) texts.set(name, '');
  if (![...fileSelect.options].some((o) => o.value === name)) fileSelect.append(el('option', { value: name }, name));
  fileSelect.value = name;
  mapEditor.setFile(name, texts.get(name) ?? '');
}

checker.onChecked = (result) => {
  handle.checks++;
  handle.diagnostics = result.diagnostics;
  mapEditor.showDiagnostics(result.diagnostics);
  renderProblems(byId('problems'), result.diagnostics.filter((d) => d.file === mapEditor.fileName), (d) => mapEditor.revealLine(d.line, d.column));
  if (result.artifact) {
    artifact = result.artifact;
    refreshFlows();
  }
};

function flowsOfFile(): CompiledFlow[] {
  return (artifact?.flows ?? []).filter((f) => f.location.file === mapEditor.fileName);
}

function refreshFlows(): void {
  const current = wanted.flow ?? flowSelect.value;
  const flows = flowsOfFile();
  flowSelect.replaceChildren(...flows.map((f) => el('option', { value: f.name }, `${f.name}: ${f.source.connector}.${f.source.entity} -> ${f.target.connector}.${f.target.entity}`)));
  if (flows.some((f) => f.name === current)) flowSelect.value = current;
  wanted = { ...wanted, flow: undefined };
  refreshSamples();
}

function currentFlow(): CompiledFlow | undefined {
  return flowsOfFile().find((f) => f.name === flowSelect.value);
}

function refreshSamples(): void {
  const flow = currentFlow();
  const key = flow ? `${flow.source.connector}.${flow.source.entity}` : '';
  if (sampleSelect.dataset.entity === key && wanted.sample === undefined) return;
  sampleSelect.dataset.entity = key;
  const records = samples.entities[key] ?? [];
  sampleSelect.replaceChildren(...records.map((record, i) => el('option', { value: String(i) }, sampleLabel(record, i))));
  if (wanted.sample !== undefined && wanted.sample < records.length) sampleSelect.value = String(wanted.sample);
  wanted = { ...wanted, sample: undefined };
}

function sampleLabel(record: Json, index: number): string {
  const r = (record ?? {}) as Record<string, Json>;
  const name = r.ordernumber_full ?? r.Number ?? r.productnumber ?? r.Name ?? r.name ?? r.email ?? '';
  return `#${index + 1} ${String(r.id ?? r.Id ?? '')} ${String(name)}`.trim();
}

async function run(): Promise<void> {
  const result = byId('result');
  const flow = currentFlow();
  if (!flow) {
    result.replaceChildren(el('p', {}, 'Nothing to run: the file has no flow that compiles (see the problems under the editor).'));
    return;
  }
  let record: Json;
  if (pasted.value.trim() !== '') {
    try {
      record = JSON.parse(pasted.value) as Json;
    } catch (error) {
      result.replaceChildren(el('p', { class: 'action fail' }, `The pasted record is not JSON: ${String(error)}`));
      return;
    }
  } else {
    record = samples.entities[`${flow.source.connector}.${flow.source.entity}`]?.[Number(sampleSelect.value)] ?? {};
  }
  const outcome = await runFlow({ flow, record, data: samples.entities, texts: Object.fromEntries(texts) });
  renderOutcome(result, outcome, (range) => mapEditor.highlightRange(range));
}

// --- sharing and downloading ----------------------------------------------------------------------------
function sharedState(): SharedState {
  return {
    file: mapEditor.fileName,
    text: mapEditor.text,
    ...(flowSelect.value ? { flow: flowSelect.value } : {}),
    ...(sampleSelect.value ? { sample: Number(sampleSelect.value) } : {}),
    ...(pasted.value.trim() ? { pasted: pasted.value } : {}),
  };
}

let hashTimer: ReturnType<typeof setTimeout> | undefined;
function saveStateSoon(): void {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => {
    void encodeState(sharedState()).then((code) => history.replaceState(null, '', `#s=${code}`));
  }, 500);
}

byId('share').addEventListener('click', async () => {
  const code = await encodeState(sharedState());
  history.replaceState(null, '', `#s=${code}`);
  await navigator.clipboard?.writeText(location.href).catch(() => undefined);
  byId('share').textContent = 'Link copied';
  setTimeout(() => (byId('share').textContent = 'Share link'), 1500);
});

byId('download').addEventListener('click', () => {
  const link = el('a', { href: URL.createObjectURL(new Blob([mapEditor.text], { type: 'text/plain' })), download: mapEditor.fileName });
  link.click();
  URL.revokeObjectURL(link.href);
});

// --- wiring ---------------------------------------------------------------------------------------------
for (const file of mappings.files) fileSelect.append(el('option', { value: file.name }, file.name));
fileSelect.addEventListener('change', () => {
  openFile(fileSelect.value);
  refreshFlows();
});
flowSelect.addEventListener('change', () => { refreshSamples(); saveStateSoon(); });
sampleSelect.addEventListener('change', saveStateSoon);
byId('run').addEventListener('click', () => void run());
mapEditor.editor.onDidChangeModelContent(() => {
  texts.set(mapEditor.fileName, mapEditor.text);
  checker.check(allFiles());
  saveStateSoon();
});

const shared = location.hash.startsWith('#s=') ? await decodeState(location.hash.slice(3)) : undefined;
if (shared) {
  texts.set(shared.file, shared.text);
  wanted = { ...(shared.flow ? { flow: shared.flow } : {}), ...(shared.sample !== undefined ? { sample: shared.sample } : {}) };
  if (shared.pasted) pasted.value = shared.pasted;
}
openFile(shared?.file ?? mappings.files[0]?.name ?? 'untitled.map');
if (shared?.line !== undefined) mapEditor.revealLine(shared.line, shared.column ?? 1);
checker.check(allFiles());

// --- views ----------------------------------------------------------------------------------------------
const activity = new ActivityView();
void activity.start().then((available) => {
  const tab = document.querySelector<HTMLButtonElement>('button[data-view="activity"]');
  if (tab) tab.hidden = !available;
});
for (const button of document.querySelectorAll<HTMLButtonElement>('header nav button')) {
  button.addEventListener('click', () => {
    for (const other of document.querySelectorAll('header nav button')) other.classList.toggle('active', other === button);
    byId('editor-view').hidden = button.dataset.view !== 'editor';
    byId('activity-view').hidden = button.dataset.view !== 'activity';
    if (button.dataset.view === 'activity') void activity.refresh();
  });
}
document.body.dataset.ready = 'true';
