import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

type Violation = { id: string; impact: string | null; help: string; nodes: unknown[] };

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core finds serious or critical on the page as it is now: each rule, its help and how many elements break it. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; nodes: number }[]> {
  // Evaluated through the debugging protocol, which the page's script policy does not govern.
  await page.evaluate(await axeSource);
  const found = await page.evaluate(async () => (await (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe.run()).violations);
  return found.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.length }));
}
