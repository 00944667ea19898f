import { defineConfig } from 'drizzle-kit'

// Paths resolve from the repository root (where npm runs), so migrations land in drizzle/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
})
