/**
 * The atomic step of each keyv backend basisbot uses (see atomic.ts), written against the
 * adapter keyv already holds, so no second connection is opened.
 */
import type KeyvRedis from '@keyv/redis';
import type KeyvSqlite from '@keyv/sqlite';
import type { RawBackend } from './atomic.js';

type SqliteQuery = (sql: string, ...params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * SQLite: each write is one statement, atomic even against another process on the same
 * file. keyv keeps the expiry inside the JSON value (SQLite has no TTL), so "absent"
 * includes a row whose `expires` has passed.
 */
export function sqliteBackend(adapter: KeyvSqlite): RawBackend {
  const query = adapter.query as SqliteQuery;
  const table = adapter.opts.table as string;
  return {
    async read(rawKey) {
      const rows = await query(`SELECT value FROM ${table} WHERE key = ?`, rawKey);
      const value = rows[0]?.['value'];
      return typeof value === 'string' ? value : undefined;
    },
    async insertIfAbsent(rawKey, raw, _ttlMs, now) {
      const rows = await query(
        `INSERT INTO ${table} (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value
           WHERE json_valid(${table}.value) AND json_extract(${table}.value, '$.expires') IS NOT NULL
             AND json_extract(${table}.value, '$.expires') <= ?
         RETURNING key`,
        rawKey,
        raw,
        now,
      );
      return rows.length > 0;
    },
    async replaceIf(rawKey, current, next) {
      const rows =
        next === undefined
          ? await query(`DELETE FROM ${table} WHERE key = ? AND value = ? RETURNING key`, rawKey, current)
          : await query(`UPDATE ${table} SET value = ? WHERE key = ? AND value = ? RETURNING key`, next, rawKey, current);
      return rows.length > 0;
    },
  };
}

// KEYS[1] the key; ARGV[1] the bytes compared; ARGV[2] '1' to delete; ARGV[3] new bytes; ARGV[4] TTL ms or ''.
const REPLACE_IF = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '1' then redis.call('DEL', KEYS[1]) return 1 end
if ARGV[4] ~= '' then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) else redis.call('SET', KEYS[1], ARGV[3]) end
return 1`;

/** Redis: SET NX for create, one Lua script (atomic on the server) for compare-and-replace. */
export function redisBackend(adapter: KeyvRedis<unknown>): RawBackend {
  const client = () => adapter.getClient();
  return {
    async read(rawKey) {
      const value = await (await client()).get(rawKey);
      return typeof value === 'string' ? value : undefined;
    },
    async insertIfAbsent(rawKey, raw, ttlMs) {
      // Redis expires keys itself (keyv passes the same TTL), so an expired key is already gone.
      const reply = await (await client()).set(rawKey, raw, ttlMs ? { condition: 'NX', expiration: { type: 'PX', value: ttlMs } } : { condition: 'NX' });
      return reply === 'OK';
    },
    async replaceIf(rawKey, current, next, ttlMs) {
      const reply = await (await client()).eval(REPLACE_IF, {
        keys: [rawKey],
        arguments: [current, next === undefined ? '1' : '0', next ?? '', ttlMs ? String(Math.ceil(ttlMs)) : ''],
      });
      return Number(reply) === 1;
    },
  };
}
