import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PortableSchemaPlugin } from './portable-schema.js';

/** PostgreSQL's SQL compiled without a server: what the migrations would send it. */
function postgresSql(plugged: boolean) {
  const db = new Kysely<Record<string, never>>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return plugged ? db.withPlugin(new PortableSchemaPlugin()) : db;
}

const table = (db: Kysely<Record<string, never>>) =>
  db.schema
    .createTable('slack_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('not_before', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confidence', 'real')
    .addColumn('payload', 'text', (c) => c.notNull())
    .compile().sql;

describe('the migrations on PostgreSQL', () => {
  it('keep 64-bit integers, double floats and an auto-increment PostgreSQL understands', () => {
    expect(table(postgresSql(true))).toBe(
      'create table "slack_outbox" ("id" bigserial primary key, "not_before" bigint default 0 not null, ' +
        '"confidence" double precision, "payload" text not null)',
    );
  });

  it('would otherwise send 32-bit integers (millisecond times overflow), 4-byte floats and autoincrement', () => {
    const raw = table(postgresSql(false));
    expect(raw).toContain('"not_before" integer');
    expect(raw).toContain('"confidence" real');
    expect(raw).toMatch(/auto_?increment/);
  });

  it('change added columns the same way', () => {
    const sql = postgresSql(true)
      .schema.alterTable('conversations')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .compile().sql;
    expect(sql).toBe('alter table "conversations" add column "version" bigint default 0 not null');
  });
});
