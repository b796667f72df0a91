import fs from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveEscalation, recordCallback, recordContact, resolveCase } from '../../workflows/cases/complaint-case.defs.js';
import { historyFootprint, historyToJSON } from '../replay/histories.js';
import { caseInput, CaseHarness, eventually, fakeCaseActivities, HOUR, SECOND, startCaseHarness, stateOf, stopCaseHarness, waitForEvent } from './complaint-case.support.js';

let env: TestWorkflowEnvironment;
let h: CaseHarness;

beforeAll(async () => {
  ({ env, h } = await startCaseHarness());
});

afterAll(async () => {
  await stopCaseHarness({ env, h });
});

/**
 * Issue 14 item 4: a complaint walked open → warning → breach → escalation → approval → contact →
 * resolve → callback → closed, on the handbook's default targets, as the API starts it, within 100
 * events and 30 KB. Bytes are the encoded History protobuf (historyFootprint's `protoBytes`): what
 * the server stores and counts as `historySizeBytes`, the measure of the figures (75 KB for
 * 184 events before any slimming). The dev server counts ~11% more than the encoded events (its
 * batches' framing: 23,043 bytes for the 20,789 of test/histories/complaint-case-step-delta.json,
 * 84 events; record-histories asserts its count ≤ 30 KB), so this test, on the time-skipping server
 * that keeps no such count, holds the encoded size to 27 KB.
 *
 * The CLI's JSON export (`bytes`, printed) of the same walk: before the slim-histories patch 181
 * events and 101,137 bytes; with case-slim-history 94–97 events and 50.7–51.4 KB; with
 * case-step-delta (steps carrying only what changed in the read model's view, compact targets, the
 * API's opening view as the first step's base, the start's search attributes not upserted again, a
 * 15-character build id) 93 events and 36.7 KB, up to 99 events and 38.0 KB on a loaded machine,
 * where a step that finishes before the next Update arrives re-arms a timer the Update then cancels.
 * Of those 38 KB, 28.2 KB are the events' own fields (ids, times, types, task queues, timeouts,
 * retry policies, identities), which JSON spells out by name and protobuf encodes by tag.
 */
describe('history of a complaint case walked to its close', () => {
  it('stays within 100 events and 30 KB as the server counts it', async () => {
    const { audit, notices, activities } = fakeCaseActivities();
    await h.withWorker(activities, async (taskQueue) => {
      const openedAt = await env.currentTimeMs();
      const handle = await h.start(taskQueue, caseInput({ openedAt }), { asTheApi: true });
      await h.travelTo(openedAt + 24 * HOUR + SECOND);
      await waitForEvent(audit, 'escalation.requested');
      await eventually(() => notices.some((n) => n.kind === 'escalation_requested'), 'escalation email');
      const escalationId = (await stateOf(handle)).escalations[0]!.id;
      await h.travelTo(openedAt + 25 * HOUR);
      await handle.executeUpdate(approveEscalation, { args: [{ actor: 'supervisor-company', escalationId, note: 'Take it over' }] });
      const actor = (await stateOf(handle)).assigneeId!;
      await handle.executeUpdate(recordContact, { args: [{ actor, note: 'Called the owner' }] });
      await handle.executeUpdate(resolveCase, { args: [{ actor, resolution: 'Resealed the window' }] });
      await handle.executeUpdate(recordCallback, { args: [{ actor: 'agent-1', satisfaction: 4, comment: 'Fine now' }] });
      expect(await handle.result()).toMatchObject({ status: 'closed' });
      expect(audit.map((e) => e.type)).toEqual([
        'case.opened',
        'sla.warned',
        'sla.breached',
        'escalation.requested',
        'escalation.approved',
        'case.escalated',
        'case.contacted',
        'case.resolved',
        'callback.recorded',
        'case.closed',
      ]);
      const history = await handle.fetchHistory();
      if (process.env.DUMP_HISTORY) fs.writeFileSync(process.env.DUMP_HISTORY, historyToJSON(history));
      const footprint = historyFootprint(history);
      console.log(`complaint case walk: ${footprint.events} events, ${footprint.protoBytes} bytes encoded (${footprint.bytes} as CLI JSON, ${footprint.base64Bytes} with payloads base64)`);
      expect(footprint.events).toBeLessThanOrEqual(100);
      expect(footprint.protoBytes).toBeLessThanOrEqual(27 * 1024);
      expect(footprint.bytes).toBeLessThanOrEqual(39 * 1024);
    });
  });
});
