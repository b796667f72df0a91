import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../platform/config.js';
import { connectionOptions } from '../platform/temporal/connection.js';
import { appDataConverter } from '../platform/temporal/payload-codec.js';
import { HISTORIES_DIR, saveHistory } from '../test/replay/histories.js';

/**
 * Saves one workflow execution's history for the replay test (test/replay/replay.test.ts), from
 * the Temporal server in the environment's settings (TEMPORAL_ADDRESS, namespace, TLS/API key):
 *
 *   tsx scripts/save-history.ts <workflowId> [file.json]     (default test/histories/<workflowId>.json)
 *
 * Record histories of real runs only (the dev stack, or RECORD_HISTORIES=1 npx vitest run
 * test/replay/record-histories.test.ts), and never of executions carrying real customers' data:
 * payloads are stored decrypted (with TEMPORAL_PAYLOAD_KEYS, or the development key under
 * DATA_DIR), so that the replay test needs no key.
 */
const [workflowId, file] = process.argv.slice(2);
if (!workflowId) {
  console.error('usage: tsx scripts/save-history.ts <workflowId> [file.json] / 用法：tsx scripts/save-history.ts <工作流 ID> [文件]');
  process.exit(2);
}
const config = loadConfig();
const connection = await Connection.connect(await connectionOptions(config.temporal));
try {
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: appDataConverter(config.temporal.payloadKeys) });
  const target = await saveHistory(client, workflowId, file ? path.resolve(file) : path.join(HISTORIES_DIR, `${workflowId}.json`));
  console.log(`History of ${workflowId} saved to ${path.relative(process.cwd(), target)} / 已保存工作流历史`);
} finally {
  await connection.close();
}
