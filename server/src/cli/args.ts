/**
 * What every CLI command does with its arguments alike: node's strict parseArgs, one usage
 * error (the command prints it with its usage text and exits 2), and --format's two values.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad command line. */
export class UsageError extends Error {}

/** parseArgs, strict (an unknown or malformed option is an error), its errors as UsageErrors. */
export function parseStrict<T extends ParseArgsConfig & { strict: true }>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** --format's value: text (when not given) or json. */
export function textOrJson(format: string | undefined): 'text' | 'json' {
  const f = format ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not '${f}'`);
  return f;
}
