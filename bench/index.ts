/**
 * `npm run bench`: runs every bench/*.bench.ts in turn. Each prints its own figures: medians and
 * ratios for CPU work, Apps Script call counts and modelled time (emulator latency table) for
 * service work — stable numbers on shared, noisy machines.
 */
import fs from 'node:fs';
import path from 'node:path';

async function main() {
  const only = process.argv[2];
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
  for (const f of files) {
    console.log(`\n=== ${f.replace('.bench.ts', '')} ===`);
    const mod = await import(path.join(__dirname, f));
    await mod.bench();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
