import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { ROOT } from '../../platform/tools.js';
import { recordFigures } from '../support/figures.js';

/**
 * The import rules of the house (issue 12), checked with dependency-cruiser over the whole tree
 * (.dependency-cruiser.cjs): domain/ imports only domain/; workflows/ only @temporalio/workflow,
 * workflows/, domain/ and activity types; activities never api/, api never activities/; app/ never
 * api/, activities/ or Express; the console bundles of the server only browser-safe pure code
 * (domain/, the wire schemas, the error catalogues) and the server never imports the console;
 * photo bytes only through app/photos (which checks the owning record first);
 * no import cycle anywhere, type-only imports included. No
 * exception is tolerated (no known-violations baseline).
 */
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const FIXTURES = path.join(ROOT, 'test', 'architecture', 'fixtures');
/** What `npm test` and a developer cruise: every folder of source, and the root's own files. */
const TREE = ['activities', 'api', 'app', 'bench', 'console/src', 'domain', 'platform', 'prisma', 'scripts', 'test', 'workflows', 'worker.ts'];

async function cruiseTree(files: string[], baseDir: string): Promise<ICruiseResult> {
  const options: ICruiseOptions = { ...(await extractDepcruiseOptions(CONFIG)), baseDir };
  const { output } = await cruise(files, options, undefined, { tsConfig: extractTSConfig(path.join(ROOT, 'tsconfig.json')) });
  return (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
}

/** The violations as `rule: from → to` lines; a cycle as its files. */
const reported = (r: ICruiseResult) =>
  r.summary.violations
    .map((v) => (v.rule.name === 'no-circular' ? `no-circular: ${[v.from, ...(v.cycle ?? []).map((c) => (typeof c === 'string' ? c : c.name))].join(' → ')}` : `${v.rule.name}: ${v.from} → ${v.to}`))
    .sort();

const isProjectModule = (source: string) => !source.startsWith('node_modules/') && /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(source);

describe('the import rules', () => {
  it('hold over the whole tree: no forbidden import and no cycle', async () => {
    const result = await cruiseTree(TREE, ROOT);
    const violations = reported(result);
    const cycles = violations.filter((v) => v.startsWith('no-circular'));
    const modules = result.modules.filter((m) => isProjectModule(m.source));
    const dependencies = modules.reduce((n, m) => n + m.dependencies.filter((d) => isProjectModule(d.resolved)).length, 0);
    recordFigures('dependency-rules', {
      title: 'Import rules over the tree (dependency-cruiser) / 依赖规则检查',
      lines: [
        `${modules.length} modules, ${dependencies} imports between them (${result.summary.totalDependenciesCruised ?? 0} counting libraries)`,
        `${violations.length - cycles.length} forbidden imports, ${cycles.length} cycles`,
      ],
    });

    expect(modules.length).toBeGreaterThan(200);
    expect(modules.some((m) => m.source.startsWith('app/'))).toBe(true);
    expect(violations).toEqual([]);
  });

  it('report each kind of break, a cycle of type-only imports included (fixtures that break them on purpose)', async () => {
    const result = await cruiseTree(['.'], FIXTURES);
    // A library is named by its package (its path lies outside the fixtures' folder).
    const lines = reported(result).map((l) => l.replace(/(\.\.\/)*node_modules\/((@[^/]+\/)?[^/]+)\/\S*/, 'npm:$2'));
    expect(lines).toEqual(
      [
        'activities-never-import-api: activities/sales/opens-things.ts → api/cases/open-thing.ts',
        'api-never-imports-activities: api/cases/runs-activity.ts → activities/sales/opens-things.ts',
        'app-never-imports-api-activities-or-express: app/cases/uses-http.ts → api/cases/open-thing.ts',
        'browser-safe-server-code-stays-pure: api/cases/schemas.ts → platform/clock.ts',
        'browser-safe-server-code-stays-pure: domain/rule.ts → platform/clock.ts',
        'browser-safe-server-code-stays-pure: domain/shows.ts → console/page.ts',
        'console-imports-only-browser-safe-server-code: console/page.ts → api/cases/open-thing.ts',
        'domain-imports-only-domain: domain/shows.ts → console/page.ts',
        'server-never-imports-console: domain/shows.ts → console/page.ts',
        'domain-imports-only-domain: domain/rule.ts → platform/clock.ts',
        'no-circular: app/cases/a.ts → app/cases/b.ts → app/cases/a.ts',
        'photos-only-through-their-records: api/cases/reads-photo-bytes.ts → platform/storage/blobs.ts',
        'platform-is-infrastructure-only: platform/assembles-worker.ts → activities/sales/opens-things.ts',
        'workflows-import-activities-as-types-only: workflows/flow.ts → activities/sales/opens-things.ts',
        'workflows-import-only-the-kit: workflows/flow.ts → npm:luxon',
      ].sort(),
    );
  });
});
