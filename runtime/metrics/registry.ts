/**
 * A few counters and gauges rendered in the Prometheus text exposition format (version 0.0.4). The format is
 * small enough that a dependency (prom-client) would cost more than it saves: we need labelled counters and
 * gauges, nothing else.
 */
export type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly values: Map<string, { labels: Labels; value: number }>;
}

export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  /** Declares a metric family; declaring one twice with another type is a programming error. */
  declare(name: string, type: Family['type'], help: string): void {
    const existing = this.#families.get(name);
    if (existing && existing.type !== type) throw new Error(`metric ${name} is already a ${existing.type}`);
    if (!existing) this.#families.set(name, { name, help, type, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const family = this.#family(name, 'counter');
    const key = labelKey(labels);
    const entry = family.values.get(key);
    if (entry) entry.value += by;
    else family.values.set(key, { labels, value: by });
  }

  set(name: string, labels: Labels, value: number): void {
    this.#family(name, 'gauge').values.set(labelKey(labels), { labels, value });
  }

  value(name: string, labels: Labels = {}): number | undefined {
    return this.#families.get(name)?.values.get(labelKey(labels))?.value;
  }

  /** The whole registry in the text format, families in declaration order, series sorted by labels. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.#families.values()) {
      lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
      const series = [...family.values.entries()].sort(([a], [b]) => a.localeCompare(b));
      for (const [, { labels, value }] of series) lines.push(`${family.name}${renderLabels(labels)} ${formatValue(value)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  #family(name: string, type: Family['type']): Family {
    const family = this.#families.get(name);
    if (!family) throw new Error(`metric ${name} is not declared`);
    if (family.type !== type) throw new Error(`metric ${name} is a ${family.type}, not a ${type}`);
    return family;
  }
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function renderLabels(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/** Label values escape backslash, double quote and newline (the format's rules). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
