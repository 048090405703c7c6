/**
 * The module rules of docs/architecture.md, checked on every `npm test` (npm run lint:deps).
 * A module is src/modules/<name>/; its index.ts is its only public face.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-faces',
      comment: 'A module reaches another module only through that module\'s index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.tsx?$'] },
    },
    {
      name: 'outside-uses-faces',
      comment: 'The app, the CLI, the demo loader, scripts and tests outside a module use a module only through its index.ts.',
      severity: 'error',
      from: { pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.tsx?$' },
    },
    {
      name: 'kernel-knows-no-module',
      comment: 'src/web and src/platform are shared by every module and so import none.',
      severity: 'error',
      from: { path: '^src/(web|platform)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'indicators-is-the-base',
      comment: 'imports and compare build on indicators (docs/architecture.md); indicators imports neither. Its tests may load data as imports do.',
      severity: 'error',
      from: { path: '^src/modules/indicators/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/modules/(imports|compare)/' },
    },
    {
      name: 'indicator-model-is-pure',
      comment: 'The indicator data model is loaded in every parse worker: it imports no other module and no platform or web code.',
      severity: 'error',
      from: { path: '^src/modules/indicator-model/' },
      to: { path: '^src/', pathNot: '^src/modules/indicator-model/' },
    },
    {
      name: 'parse-workers-stay-light',
      comment: 'Importers and the parse worker run in worker threads: they reach the indicators module (its database layer and pages) only lazily or for types.',
      severity: 'error',
      from: { path: '^src/modules/imports/(importers/|parse-worker|parse-pool)' },
      to: { path: '^src/modules/indicators/', dependencyTypesNot: ['type-only', 'type-import', 'dynamic-import'] },
    },
    {
      name: 'no-cycles',
      comment: 'An import cycle (type imports included) makes load order fragile and modules inseparable.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
