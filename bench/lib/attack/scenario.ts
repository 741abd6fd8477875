// One attack of `npm run bench -- attack`: it runs against a real server process of its own (its
// own SQLite file), prints its figure and says whether the defence held. Scenarios live one per
// topic in this folder and are listed in bench/attack.ts.
import type { BenchServer } from '../server.ts';

export interface AttackContext {
  /** A fresh temporary folder for this scenario's database. */
  dir: string;
  /** Starts the real server on that folder's database (extra env on top of the bench defaults). */
  startServer(env?: Record<string, string>): Promise<BenchServer>;
}

export interface AttackFinding {
  /** What was measured, in one line: the figure a reader compares with the target. */
  figure: string;
  /** True when the defence held (the target is met). */
  held: boolean;
}

export interface AttackScenario {
  name: string;
  /** What the attacker tries, in one line. */
  attack: string;
  run(ctx: AttackContext): Promise<AttackFinding[]>;
}
