/** One versioned schema migration (journal/migrations.ts lists them in order). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
