// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import layers from './tools/eslintPluginLayers.js';

export default defineConfig(
  globalIgnores(['**/dist/**', '**/.bench-out/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', 'packages/*/test/native/build/**']),
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // TypeScript checks names in JavaScript files too (tools/tsconfig.json has checkJs).
    files: ['**/*.js'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['packages/**/*.ts', 'packages/**/*.js'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    files: ['packages/*/test/**/*.ts', 'packages/*/bench/**/*.ts'],
    rules: {
      // Tests poke at values whose shape they have just asserted.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
