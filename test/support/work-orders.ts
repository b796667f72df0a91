import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { TestStack } from './stack.js';

const HOUR = 3_600_000;

/** A JSON call as `token`, with a fresh Idempotency-Key: status, parsed body and text. */
export function apiAs(stack: TestStack) {
  return async (token: string, method: string, url: string, json?: unknown) => {
    const res = await fetch(`${stack.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  };
}

/**
 * A leak reported by `agent.project` on a unit of 滨江花园's first building, whose completion
 * acceptance is set to a year ago (so the leak is 保内): the case, its unit, and the project's
 * in-house technician, ready for work orders.
 */
export async function leakCaseOnAcceptedBuilding(stack: TestStack, caller: { name: string; phone: string; description: string }) {
  const { db } = stack;
  const project = await db.project.findFirstOrThrow({ where: { code: 'HZ-BJHY' } });
  const [b1] = await db.building.findMany({ where: { projectId: project.id }, orderBy: { name: 'asc' } });
  const aYearAgo = new Date(Date.now() - 365 * 24 * HOUR);
  await db.building.update({ where: { id: b1!.id }, data: { completionAcceptedOn: new Date(`${aYearAgo.toISOString().slice(0, 10)}T00:00:00Z`) } });
  const unit = await db.unit.findFirstOrThrow({ where: { buildingId: b1!.id } });
  const technician = await db.user.findUniqueOrThrow({ where: { username: 'technician.project' } });
  const c = await apiAs(stack)(await stack.login('agent.project'), 'POST', '/api/cases', {
    type: 'complaint',
    projectId: project.id,
    unitId: unit.id,
    customer: { name: caller.name, phone: caller.phone },
    category: 'complaint.quality.leakage',
    severity: 'minor',
    channel: 'phone',
    description: caller.description,
  });
  expect(c.status, c.text).toBe(201);
  return { project, unit, technician, case: c.body as { id: string; number: string } };
}
