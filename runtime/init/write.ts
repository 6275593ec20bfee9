import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InitPlan } from './wizard.js';

/**
 * Writes the generated `.map` copies and the config. The config may hold secrets, so it is made readable by
 * its owner only.
 */
export function writePlan(plan: InitPlan): string[] {
  const written: string[] = [];
  for (const file of plan.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.text);
    written.push(file.path);
  }
  mkdirSync(dirname(plan.configPath), { recursive: true });
  writeFileSync(plan.configPath, `${JSON.stringify(plan.config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(plan.configPath, 0o600);
  written.push(plan.configPath);
  return written;
}
