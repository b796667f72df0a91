import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { isEncryptedPayload } from '../../platform/temporal/payload-codec.js';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

type History = proto.temporal.api.history.v1.IHistory;

/** Saved histories, one JSON file per recorded execution (Temporal's own JSON history format). */
export const HISTORIES_DIR = path.resolve(import.meta.dirname, '..', 'histories');

// @temporalio/common's historyToJSON / historyFromJSON pass @temporalio/proto's message types to
// protobufjs's protojson, which checks `type instanceof Type`. npm installed one protobufjs 8 copy
// per @temporalio package here (grpc-js's proto-loader takes the top-level slot with protobufjs 7),
// so that check fails with "type must be a Type". Loading protojson through @temporalio/proto's own
// resolution keeps both on one copy whatever the install layout.
const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as {
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
};
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyFromJSON(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History | null;
  if (!history?.events?.length) throw new TypeError('not a workflow history (expected { events: [...] })');
  return history;
}

export function historyToJSON(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2) + '\n';
}

export interface SavedHistory extends HistoryAndWorkflowId {
  file: string;
  workflowType: string;
}

/** Every saved history; the file name serves as the replayer's workflow id. */
export function loadHistories(dir = HISTORIES_DIR): SavedHistory[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
      const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      if (!workflowType) throw new Error(`${file} does not start with WorkflowExecutionStarted`);
      return { file, workflowType, workflowId: path.basename(file, '.json'), history };
    });
}

/**
 * Writes an execution's history as indented proto JSON, the format the Temporal CLI
 * (`temporal workflow show --output json`) and the Web UI's download produce, of the workflow's
 * latest run or of the run named by `runId`. Encrypted payloads are stored decrypted (with the
 * client's payload codecs), so the saved history replays without the keys of the environment it
 * was recorded in: record only test data.
 */
export async function saveHistory(client: Client, workflowId: string, file: string, runId?: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await decodePayloadsInPlace(history, client.options.loadedDataConverter.payloadCodecs);
  const target = path.isAbsolute(file) ? file : path.join(HISTORIES_DIR, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, historyToJSON(history));
  return target;
}

/**
 * Replaces every encrypted payload anywhere in a history (inputs, results, signal and update
 * arguments, failure details, headers) by its decoded form, the codecs applied in reverse order as
 * the SDK does.
 */
async function decodePayloadsInPlace(node: unknown, codecs: readonly PayloadCodec[]): Promise<void> {
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [key, value] of entries) {
    if (value !== null && typeof value === 'object' && 'metadata' in value && isEncryptedPayload(value as Payload)) {
      let payloads = [value as Payload];
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      (node as Record<string | number, unknown>)[key] = payloads[0];
    } else {
      await decodePayloadsInPlace(value, codecs);
    }
  }
}

/**
 * How much a history weighs: the number of events and, as `protoBytes`, the bytes of the encoded
 * `temporal.api.history.v1.History` protobuf: what the server stores and counts as the execution's
 * `historySizeBytes` (and limits, at 50 MB), the measure issue 14's figures follow (its 75 KB for a
 * 184-event walk; a 171-event walk of that time, complaint-case-escalated.json, encodes to 61 KB,
 * where the JSON export below gives 101 KB for 181 events). Also, for reading: `bytes`, the history
 * as the Temporal CLI exports it (`temporal workflow show --output json`: proto JSON, each
 * json/plain payload in the CLI's JSON shorthand, i.e. as the JSON value it holds) without
 * indentation, and `base64Bytes`, that export with payloads left base64
 * (`--no-json-shorthand-payloads`, what saveHistory writes).
 */
export function historyFootprint(history: History): { events: number; protoBytes: number; bytes: number; base64Bytes: number } {
  const json: unknown = JSON.parse(historyToJSON(history));
  const protoBytes = proto.temporal.api.history.v1.History.encode(proto.temporal.api.history.v1.History.fromObject(history)).finish().length;
  return {
    events: history.events?.length ?? 0,
    protoBytes,
    bytes: Buffer.byteLength(JSON.stringify(shorthandPayloads(json))),
    base64Bytes: Buffer.byteLength(JSON.stringify(json)),
  };
}

const JSON_PLAIN = Buffer.from('json/plain').toString('base64');

/** A history's proto JSON with each json/plain payload replaced by the JSON value it holds. */
export function shorthandPayloads(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shorthandPayloads);
  if (node === null || typeof node !== 'object') return node;
  const o = node as { metadata?: { encoding?: string }; data?: unknown };
  if (o.metadata?.encoding === JSON_PLAIN && typeof o.data === 'string') return JSON.parse(Buffer.from(o.data, 'base64').toString('utf8')) as unknown;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, shorthandPayloads(v)]));
}
