/**
 * The import rules of the house (issue 12), checked by dependency-cruiser in
 * `npm test` (test/architecture/dependency-rules.test.ts, which also proves each rule can fail on
 * the fixtures beside it) and by hand with
 *
 *   npx depcruise --config .dependency-cruiser.cjs --output-type err .
 *
 * domain/      pure rules: imports nothing of the project but domain/ (npm libraries such as luxon are fine).
 * workflows/   deterministic wiring: @temporalio/workflow, workflows/ (the kit, the defs), domain/, activities as types only.
 * app/         use cases and repositories: never api/, activities/ or Express.
 * platform/    infrastructure only: never api/, app/, activities/ or workflows/.
 * activities/  never api/;  api/ never activities/.
 * photos       the blob store (platform/storage) only from app/photos, which reads a photo only through its record.
 * Nowhere an import cycle, type-only imports included (a cycle of types still ties the files together).
 * No exception is recorded (no known-violations baseline): every rule holds over the whole tree.
 */
/** Folders (and root files) of the project: an import of one of these is "of the project". */
const PROJECT = '^(activities|api|app|bench|console|domain|platform|prisma|scripts|test|workflows)/|^[^/]+\\.(ts|mts|cts|js|mjs|cjs)$';

/** Server code the console may bundle: pure, no I/O (checked by browser-safe-server-code-stays-pure). */
const BROWSER_SAFE = '^(domain/|api/[^/]+/[a-z-]*schemas\\.ts$|api/http/(schema-kit|zod|field-errors|error-catalogue)\\.ts$|app/errors\\.ts$|app/[^/]+/errors\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'domain/ is pure: no I/O, no Temporal, no HTTP. It imports nothing of the project but domain/.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: PROJECT, pathNot: '^domain/' },
    },
    {
      name: 'workflows-import-only-the-kit',
      comment:
        'Workflow code is replayed deterministically in the sandbox: it imports only @temporalio/workflow, workflows/ (the kit and the defs), domain/, and activities (as types, below).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { pathNot: ['^workflows/', '^domain/', '^activities/', '^node_modules/@temporalio/workflow/'] },
    },
    {
      name: 'workflows-import-activities-as-types-only',
      comment: 'proxyActivities<Activities>() needs the types only; a value import would pull Prisma and nodemailer into the workflow bundle.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-never-import-api',
      comment: 'The worker must not load the HTTP layer: use cases both share live in app/.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^api/' },
    },
    {
      name: 'api-never-imports-activities',
      comment: 'The API starts and updates workflows; it never runs activity code itself. Shared use cases live in app/.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^activities/' },
    },
    {
      name: 'app-never-imports-api-activities-or-express',
      comment: 'The application layer is called by the API and by activities alike: it knows neither, nor HTTP.',
      severity: 'error',
      from: { path: '^app/' },
      to: { path: ['^api/', '^activities/', '^node_modules/express/', '^node_modules/@types/express/'] },
    },
    {
      name: 'platform-is-infrastructure-only',
      comment: 'platform/ holds infrastructure (config, db, Temporal connection, mail, logs): it knows no module. What assembles modules (the worker) lives with them.',
      severity: 'error',
      from: { path: '^platform/' },
      to: { path: ['^api/', '^app/', '^activities/', '^workflows/'] },
    },
    {
      name: 'console-imports-only-browser-safe-server-code',
      comment:
        'The console is bundled for the browser: of the server it imports (as values) only pure code — domain/, the wire schemas and their kit, the error catalogues. Anything else only as types.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: PROJECT, pathNot: ['^console/', BROWSER_SAFE], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-safe-server-code-stays-pure',
      comment:
        'What the console bundles from the server imports (as values) only what is itself browser-safe: no Express, Prisma, Temporal or Node built-ins. Allowed libraries: zod, luxon, ical.js (a browser-first parser) and the holiday data of chinese-days (JSON).',
      severity: 'error',
      from: { path: BROWSER_SAFE },
      to: { pathNot: [BROWSER_SAFE, '^node_modules/(zod|@asteasolutions/zod-to-openapi|luxon|ical\\.js)/', '^node_modules/chinese-days/dist/chinese-days\\.json$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-never-imports-console',
      comment: 'The console depends on the server, never the other way round.',
      severity: 'error',
      from: { path: '^(activities|api|app|domain|platform|workflows)/' },
      to: { path: '^console/' },
    },
    {
      name: 'photos-only-through-their-records',
      comment:
        'Photo bytes are read and written only by app/photos: fetchPhoto loads the owning record and checks its access before it reads a blob, so no other code may reach the blob store (platform/storage) or the store behind a PhotoStore (app/photos/blob-access.ts). Tests may. ' +
        'In platform/, only the store itself, config.ts (its settings type) and platform/backup: backups are infrastructure, not a reader of photos; they copy the local store\'s files as files, by its layout (localBlobPath), and never open a blob through BlobStore.',
      severity: 'error',
      from: { pathNot: ['^app/photos/', '^platform/storage/', '^platform/config\\.ts$', '^platform/backup/', '^test/'] },
      to: { path: ['^platform/storage/', '^app/photos/blob-access\\.ts$'] },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too (cycles of types count; workflows may import activity types only).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: ['node_modules', '^prisma/generated/'] },
    exclude: { path: ['^\\.[^./]', '^prisma/generated/', '^dist/', '^console/dist/', '^test/architecture/fixtures/', '\\.d\\.ts$'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
