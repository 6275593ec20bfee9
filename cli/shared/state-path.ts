import { ConfigError, loadConfig } from '../../runtime/config/load.js';

/** The state file a command reads: `--state` when given, else the one the config file names. */
export function statePathOf(command: string, options: { readonly state?: string; readonly config: string }): string | undefined {
  if (options.state !== undefined) return options.state;
  try {
    return loadConfig(options.config).state;
  } catch (error) {
    process.stderr.write(`mapline ${command}: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return undefined;
  }
}
