/**
 * Issue 14 item 4: how much one complaint case's history weighs, at each version of the case
 * workflow, for the same walk (opened, breached, escalation approved, contacted, resolved, called
 * back, closed), as recorded from real runs on the dev server by test/replay/record-histories.test.ts:
 *
 *   complaint-case-escalated.json   before any slimming (every Update answered the whole state)
 *   complaint-case-slim.json        patch case-slim-history (one step activity, small Update answers)
 *   complaint-case-step-delta.json  patch case-step-delta (steps carry only what changed)
 *
 * Prints events and bytes (encoded History protobuf, what the server stores and counts as
 * `historySizeBytes`; the CLI's JSON export beside it) as ratios against the first, and the bytes by
 * event type of the newest. The live walk's size is asserted by
 * test/workflows/complaint-case.history-size.test.ts (≤ 100 events, ≤ 27 KB encoded) and, when
 * recording, by the dev server's own count (≤ 30 KB).
 *
 *   npm run pinned -- npx tsx bench/history-size.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import proto from '@temporalio/proto';
import { HISTORIES_DIR, historyFootprint, historyFromJSON } from '../test/replay/histories.js';

const VERSIONS = [
  ['before slimming (baseline)', 'complaint-case-escalated.json'],
  ['case-slim-history', 'complaint-case-slim.json'],
  ['case-step-delta', 'complaint-case-step-delta.json'],
] as const;

const History = proto.temporal.api.history.v1.History;
const HistoryEvent = proto.temporal.api.history.v1.HistoryEvent;
const load = (file: string) => historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));

const rows = VERSIONS.map(([name, file]) => ({ name, file, ...historyFootprint(load(file)) }));
const base = rows[0]!;
const ratio = (a: number, b: number) => `×${(a / b).toFixed(2)}`;
console.log('One complaint case walked to its close, recorded on the dev server (test/histories):');
console.log('| version | file | events | encoded bytes | CLI JSON bytes |');
console.log('|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.file} | ${r.events} (${ratio(r.events, base.events)}) | ${r.protoBytes.toLocaleString('en')} (${ratio(r.protoBytes, base.protoBytes)}) | ${r.bytes.toLocaleString('en')} (${ratio(r.bytes, base.bytes)}) |`,
  );

const newest = load(VERSIONS[VERSIONS.length - 1]![1]);
const byType = new Map<string, { events: number; bytes: number }>();
for (const event of newest.events ?? []) {
  const type = String(HistoryEvent.fromObject(event).eventType);
  const name = proto.temporal.api.enums.v1.EventType[Number(type)] ?? type;
  const t = byType.get(name) ?? { events: 0, bytes: 0 };
  t.events += 1;
  t.bytes += HistoryEvent.encode(HistoryEvent.fromObject(event)).finish().length;
  byType.set(name, t);
}
console.log('');
console.log(`${VERSIONS[VERSIONS.length - 1]![1]} by event type (encoded bytes; the whole history ${History.encode(History.fromObject(newest)).finish().length.toLocaleString('en')}):`);
for (const [name, t] of [...byType].sort((a, b) => b[1].bytes - a[1].bytes))
  console.log(`  ${name.replace('EVENT_TYPE_', '').padEnd(40)} ${String(t.events).padStart(3)} × → ${t.bytes.toLocaleString('en').padStart(6)} bytes`);
