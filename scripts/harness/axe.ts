// axe-core in the page under test, with the enhanced (7:1) contrast rule on: the browser tests'
// one accessibility check. axe is injected from node_modules (the test context bypasses the CSP).
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** The violations on the page as it is now, and how many rules passed (proof that axe really looked). */
export async function axe(page: Page): Promise<{ violations: AxeViolation[]; passed: number }> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[]; passes: { id: string }[] }> } };
    const r = await w.axe.run(document, { rules: { 'color-contrast-enhanced': { enabled: true } } });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })),
      passed: r.passes.length,
    };
  });
}
