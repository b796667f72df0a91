import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../platform/tools.js';

/**
 * Figures a test measured (cases, requests, faults, losses, duplicates), kept so `npm test`
 * prints them together at the end of the run, just above its `N passed, N failed` line.
 * One file per name under test-results/figures; a later call with the same name replaces it.
 */
export const FIGURES_DIR = path.join(ROOT, 'test-results', 'figures');

export interface Figures {
  /** One line saying what was measured, e.g. "kill -9 of the worker under 500 due timers". */
  title: string;
  /** The figures themselves, one per line, in English / 中文 where it helps. */
  lines: string[];
}

export function recordFigures(name: string, figures: Figures): void {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`figure name must be kebab-case: ${name}`);
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  fs.writeFileSync(path.join(FIGURES_DIR, `${name}.json`), JSON.stringify({ ...figures, recordedAt: new Date().toISOString() }, null, 2));
  // Also in the test's own output, for a run of one file.
  console.log([`» ${figures.title}`, ...figures.lines.map((l) => `    ${l}`)].join('\n'));
}

/** Every figure recorded since the directory was last cleared, ordered by name. */
export function readFigures(): (Figures & { name: string })[] {
  if (!fs.existsSync(FIGURES_DIR)) return [];
  return fs
    .readdirSync(FIGURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...(JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, f), 'utf8')) as Figures) }));
}
