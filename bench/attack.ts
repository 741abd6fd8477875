// `npm run bench -- attack [--only NAME]`: the attacks that issue 15 found, run against the real
// server, each printing its figure and a verdict (docs/security.md keeps the numbers). Exit 1 when
// any defence did not hold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fabricatedPass } from './lib/attack/fabricated-pass.ts';
import { quota } from './lib/attack/quota.ts';
import { signInScenarios } from './lib/attack/sign-in.ts';
import type { AttackScenario } from './lib/attack/scenario.ts';
import { startBenchServer, type BenchServer } from './lib/server.ts';

const SCENARIOS: AttackScenario[] = [fabricatedPass, ...signInScenarios, quota];

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf('--only');
  const only = i >= 0 ? args[i + 1] : undefined;
  const chosen = SCENARIOS.filter((s) => !only || s.name === only);
  if (chosen.length === 0) {
    console.error(`no scenario ${only ?? ''}; known: ${SCENARIOS.map((s) => s.name).join(', ') || '(none yet)'}`);
    process.exit(2);
  }
  let failed = 0;
  for (const s of chosen) {
    const dir = mkdtempSync(join(tmpdir(), `stillhere-attack-${s.name}-`));
    const servers: BenchServer[] = [];
    console.log(`\n${s.name}: ${s.attack}`);
    try {
      const findings = await s.run({
        dir,
        startServer: async (env) => {
          const server = await startBenchServer(dir, env);
          servers.push(server);
          return server;
        },
      });
      for (const f of findings) {
        console.log(`  ${f.held ? 'held  ' : 'FAILED'} ${f.figure}`);
        if (!f.held) failed++;
      }
    } catch (err) {
      failed++;
      console.log(`  FAILED the scenario itself broke: ${(err as Error).stack ?? String(err)}`);
    } finally {
      for (const server of servers) await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(failed ? `\n${failed} defence(s) did not hold` : '\nevery defence held');
  if (failed) process.exitCode = 1;
}
