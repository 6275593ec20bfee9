import type { QuarantineEntry } from '../../runtime/state/store.js';

/** Where in a `.map` file a record failed, read from its reason (`... mappings/orders.map:12:5: no ...`). */
export interface MapLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const LOCATION = /([^\s:()]+\.map):(\d+):(\d+)/;

export function locationOf(reason: string): MapLocation | null {
  const match = LOCATION.exec(reason);
  return match ? { file: match[1]!, line: Number(match[2]), column: Number(match[3]) } : null;
}

/** A quarantined record as the failures view shows it: the entry and the `.map` place that failed. */
export function failureView(entry: QuarantineEntry): QuarantineEntry & { readonly location: MapLocation | null } {
  return { ...entry, location: locationOf(entry.reason) };
}
