import { recon } from './src/recon/recon.ts';
import { reconCacheFile } from './src/audit/cache-location.ts';
const dir = process.argv[2] ?? '/tmp/big/r';
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const p = await recon(dir, { cacheFile: reconCacheFile });
  console.log('recon', (performance.now() - t0).toFixed(0), 'ms', p.files.length);
}
