/** One measured figure. Every bench module exports `run(): Promise<BenchResult[]>`; `run.ts` collects them. */
export interface BenchResult {
  /** Which area: `compiler`, `client`, `runtime`, ... */
  readonly area: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}
