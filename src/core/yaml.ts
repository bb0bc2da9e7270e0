import type * as Yaml from 'yaml';
import { lazyRequire } from './lazy-require.ts';

/**
 * The yaml package, loaded on first use. Importing it costs about 35 ms (some eighty modules), and
 * most runs parse no YAML at all: no workflows, plans, configuration or rule files.
 */
export const yaml = lazyRequire<typeof Yaml>('yaml');
