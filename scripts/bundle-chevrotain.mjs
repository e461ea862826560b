// chevrotain 11 ships as ES modules only (its @chevrotain/* parts export only an `import` condition),
// which the CommonJS code that mocha/tsx and the extension host run cannot `require`. At install time we
// bundle the installed chevrotain into one CommonJS file (gitignored), loaded by src/language/chevrotain.ts.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['node_modules/chevrotain/lib/src/api.js'],
  outfile: 'src/language/vendor/chevrotain.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
});
