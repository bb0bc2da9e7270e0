import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The yaml package, loaded on first use. Importing it costs about 35 ms (some eighty modules), and
 * most runs parse no YAML at all: no workflows, plans, configuration or rule files. Its CommonJS
 * build loads with `require`, synchronously, so its callers stay synchronous.
 */
export function yaml(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}
