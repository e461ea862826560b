// eslint (flat config) with typescript-eslint over src/, test/ and bench/: `npm run lint`.
// The recommended sets, plus a few rules for this code base; no type-aware rules (they need a full program
// per run and the type checker already runs as `npm run typecheck`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.tools/**', '.test-output/**', 'src/language/vendor/**', '**/*.cjs', '**/*.mjs', 'scripts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // unused names are mistakes, except deliberately ignored ones (_x) and rest siblings
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // type-only imports stay type-only (esbuild drops them; isolatedModules needs them marked)
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      // expected /proc and report text is matched literally, column spaces included
      'no-regex-spaces': 'off',
    },
  },
  {
    // tests may use non-null assertions and loose any where fixtures are built by hand
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
