/** Where in a `.map` file a record failed, read from its reason (`... mappings/orders.map:12:5: no ...`). */
export interface MapLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const LOCATION = /([^\s:()]+\.map):(\d+):(\d+)/;

/** The first `.map` place a failure reason names; null when it names none (an API refusal, a network error). */
export function locationOf(reason: string): MapLocation | null {
  const match = LOCATION.exec(reason);
  return match ? { file: match[1]!, line: Number(match[2]), column: Number(match[3]) } : null;
}
