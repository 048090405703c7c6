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
