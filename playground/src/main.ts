import type { CompiledArtifact, CompiledFlow, Json } from '../../compiler/artifact.js';
import type { Range } from '../../language/range.js';
import type { FixJson } from '../../language/render.js';
import { CheckerClient, type CheckResult } from './checker-client.js';
import { MapEditor, monaco } from './editor.js';
import { RunPanel, type RunRequest } from './run/run-panel.js';
import { decodeState, encodeState, type SharedState } from './share.js';
import { ActivityView } from './ui/activity-view.js';
import { byId, el } from './ui/dom.js';
import { renderProblems } from './ui/problems.js';
import type { ShownDiagnostic } from './worker/protocol.js';

interface MappingFile { readonly name: string; readonly text: string }
interface Samples { readonly entities: Record<string, Json[]> }

/** What tests and the benchmark read (the page's state is otherwise private to this module). */
interface PlaygroundHandle {
  readonly monaco: typeof monaco;
  readonly editor: MapEditor['editor'];
  checks: number;
  diagnostics: readonly ShownDiagnostic[];
  /** Outputs drawn so far, and the version of the texts the newest one was run from (live mode). */
  outputs: number;
  outputVersion: number;
  /** `performance.now()` when the newest output was drawn (the benchmark times keystroke to output with it). */
  outputAt: number;
  /** The version of the texts the newest check is about, and `performance.now()` when it came in. */
  checkedVersion: number;
  checkedAt: number;
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
const handle: PlaygroundHandle = { monaco, editor: mapEditor.editor, checks: 0, diagnostics: [], outputs: 0, outputVersion: 0, outputAt: 0, checkedVersion: 0, checkedAt: 0 };
window.mapline = handle;
/** The newest version that compiled: its artifact, the texts it came from, when. */
let good: { artifact: CompiledArtifact; texts: Record<string, string>; version: number; at: Date } | null = null;
/** The newest check: its errors say whether `good` is what the editor shows. */
let latest: CheckResult | undefined;
let wanted: { flow?: string; sample?: number } = {};

const fileSelect = byId<HTMLSelectElement>('file-select');
const flowSelect = byId<HTMLSelectElement>('flow-select');
const sampleSelect = byId<HTMLSelectElement>('sample-select');
const pasted = byId<HTMLTextAreaElement>('paste-json');
const live = byId<HTMLInputElement>('live');
const panel = new RunPanel(byId('result'), highlightIfUnchanged);
panel.onRendered = (request) => {
  handle.outputs++;
  handle.outputVersion = request.version;
  handle.outputAt = performance.now();
};

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
  handle.checkedVersion = result.version;
  handle.checkedAt = performance.now();
  latest = result;
  mapEditor.showDiagnostics(result.diagnostics);
  showProblems(result.diagnostics);
  if (result.artifact) {
    good = { artifact: result.artifact, texts: Object.fromEntries(result.files.map((f) => [f.name, f.text])), version: result.version, at: new Date() };
    refreshFlows();
  }
  if (live.checked) {
    if (result.artifact) void run();
    else panel.outdated(errorCount(result));
  }
};

function errorCount(result: CheckResult | undefined): number {
  return (result?.diagnostics ?? []).filter((d) => d.severity === 'error').length;
}

/** Problems of every open file; the file list counts each file's problems too. */
function showProblems(diagnostics: readonly ShownDiagnostic[]): void {
  renderProblems(byId('problems'), diagnostics, mapEditor.fileName, {
    reveal: (d) => {
      if (d.file !== mapEditor.fileName) switchFile(d.file);
      mapEditor.revealLine(d.line, d.column);
    },
    fix: (d, fix) => applyFix(d.file, fix),
  });
  for (const option of fileSelect.options) {
    const count = diagnostics.filter((d) => d.file === option.value).length;
    option.textContent = count > 0 ? `${option.value} (${count} problem${count === 1 ? '' : 's'})` : option.value;
  }
}

function applyFix(file: string, fix: FixJson): void {
  if (file === mapEditor.fileName) return mapEditor.applyFix(fix); // the edit is checked like any other
  const text = texts.get(file) ?? '';
  texts.set(file, text.slice(0, fix.range.start) + fix.text + text.slice(fix.range.end));
  checker.check(allFiles());
}

/**
 * Highlights a range of a run's flow file when the editor shows that file and the text up to the range is
 * unchanged since the version that ran; otherwise the offsets would mark some other line.
 */
function highlightIfUnchanged(file: string, range: Range, ranTexts: Readonly<Record<string, string>>): void {
  const ran = ranTexts[file];
  if (file !== mapEditor.fileName || ran === undefined || mapEditor.text.slice(0, range.end) !== ran.slice(0, range.end)) return;
  mapEditor.highlightRange(range);
}

function flowsOfFile(): CompiledFlow[] {
  return (good?.artifact.flows ?? []).filter((f) => f.location.file === mapEditor.fileName);
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

/**
 * Runs the chosen flow on the chosen record. It waits for the check of the newest text; when that text has
 * errors, the last version that compiled runs and the output says so; with none, nothing runs.
 */
async function run(): Promise<void> {
  const checked = await checker.settled();
  const flow = currentFlow();
  if (!good || !flow) {
    const errors = errorCount(checked);
    panel.nothingToRun(errors > 0
      ? `Nothing to run: the mappings have ${errors} error${errors === 1 ? '' : 's'} (see Problems) and no version of this file has compiled yet.`
      : 'Nothing to run: this file has no flow.');
    return;
  }
  const request: RunRequest = { flow, record: chosenRecord(flow), data: samples.entities, texts: good.texts, errors: errorCount(checked), version: good.version, compiledAt: good.at };
  await panel.run(request);
}

function chosenRecord(flow: CompiledFlow): RunRequest['record'] {
  if (pasted.value.trim() === '') return { value: samples.entities[`${flow.source.connector}.${flow.source.entity}`]?.[Number(sampleSelect.value)] ?? {} };
  try {
    return { value: JSON.parse(pasted.value) as Json };
  } catch (error) {
    return { error: `The pasted record is not JSON: ${String(error)}` };
  }
}

// --- sharing and downloading ----------------------------------------------------------------------------
function sharedState(): SharedState {
  return {
    file: mapEditor.fileName,
    text: mapEditor.text,
    ...(flowSelect.value ? { flow: flowSelect.value } : {}),
    ...(sampleSelect.value ? { sample: Number(sampleSelect.value) } : {}),
    ...(pasted.value.trim() ? { pasted: pasted.value } : {}),
    ...(live.checked ? { live: true } : {}),
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
function switchFile(name: string): void {
  openFile(name);
  refreshFlows();
  showProblems(latest?.diagnostics ?? []);
  mapEditor.showDiagnostics(latest?.diagnostics ?? []);
}

/** In live mode a change of flow, sample or pasted record runs again too. */
function runIfLive(): void {
  if (live.checked) void run();
}

for (const file of mappings.files) fileSelect.append(el('option', { value: file.name }, file.name));
fileSelect.addEventListener('change', () => switchFile(fileSelect.value));
flowSelect.addEventListener('change', () => { refreshSamples(); saveStateSoon(); runIfLive(); });
sampleSelect.addEventListener('change', () => { saveStateSoon(); runIfLive(); });
pasted.addEventListener('input', runIfLive);
live.addEventListener('change', () => { saveStateSoon(); runIfLive(); });
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
  live.checked = shared.live === true;
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
