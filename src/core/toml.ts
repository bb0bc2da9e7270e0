import type * as SmolToml from 'smol-toml';
import { lazyRequire } from './lazy-require.ts';

/** smol-toml, loaded on first use: about 15 ms that a repository without TOML files need not pay. */
export const toml = lazyRequire<typeof SmolToml>('smol-toml');
