// ESLint flat config (kept in scripts/ so the top level stays as DESIGN.md fixes it).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.tap/**', 'coverage/**', 'openapi/**', 'drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read settings in src/config.ts only.' },
      ],
    },
  },
  {
    files: ['test/**', 'scripts/**', 'src/config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
