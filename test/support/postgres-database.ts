import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the integration suite runs against a second time (`npm run test:postgres`):
 * .ci/postgres.sh starts one and sets this. Unset, every test uses SQLite.
 */
export function testPostgresServer(): string | undefined {
  return process.env.BATON_TEST_POSTGRES_URL || undefined;
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server, for one Baton (or one fleet); dropped afterwards. */
export async function scratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `baton_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
