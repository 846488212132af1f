// ESLint for the whole repository (npm run lint): typescript-eslint's recommended rules on every TypeScript file,
// with the few project rules below. Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.aws-sam/**',
      '.local/**',
      'coverage/**',
      'test-artifacts/**',
      'bench/results/**',
      'layers/**',
      '.ci/.venv/**',
      '.ci/.lint-venv/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Unused names are errors, except the `_`-prefixed ones that mark a deliberately ignored argument or binding.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Refusing control characters in keys, names and headers is the point of those patterns ([\x00-\x1f]).
      'no-control-regex': 'off',
      // Closures written before a late assignment (the local stack wires services that need the edge's URL first).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests and the template loader read JSON/CloudFormation documents of many shapes; tests load handlers after
    // setting their environment (require).
    files: ['**/tests/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'local/template/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // CommonJS files (Jest configs, the cold-start probe) and plain Node scripts.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
