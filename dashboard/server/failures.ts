import { locationOf, type MapLocation } from '../../runtime/map-location.js';
import type { QuarantineEntry } from '../../runtime/state/store.js';

/** A quarantined record as the failures view shows it: the entry and the `.map` place that failed. */
export function failureView(entry: QuarantineEntry): QuarantineEntry & { readonly location: MapLocation | null } {
  return { ...entry, location: locationOf(entry.reason) };
}
