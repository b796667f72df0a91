import type { Request, RequestHandler, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Payload } from '@temporalio/common';
import { decodeJwt } from 'jose';
import { z } from '../http/zod.js';
import { coded } from '../http/errors.js';
import { canDecodeWorkflowPayloads, type Principal } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import type { Db } from '../../platform/db.js';
import { codecError } from '../../app/temporal-codec/errors.js';
import { defineRoute } from '../http/route.js';
import { workflowPayloadsViewRow } from '../record-views/record-view-log.js';
import { AesGcmPayloadCodec, PayloadDecryptionError, isEncryptedPayload, payloadKeyId } from '../../platform/temporal/payload-codec.js';

/**
 * The codec server protocol of the Temporal Web UI and CLI (`--codec-endpoint`): `POST …/decode`
 * and `…/encode` with `{payloads: [{metadata: {key: base64}, data: base64}]}`, answered in the same
 * shape, here behind the API's authentication. The UI calls it from the browser (CORS, below),
 * with the namespace in `X-Namespace`.
 *
 * Authentication: the CLI sends the API's bearer token (`--codec-auth 'Bearer …'`). The Web UI
 * cannot: it only forwards the token of its own OIDC login, and only to an https endpoint. What it
 * can do is send cookies ("Include cross-origin credentials" in its codec settings), so a group
 * administrator first calls `POST …/session` with their token, which stores the token in an
 * HttpOnly cookie valid for these routes only.
 */
export const CODEC_BASE_PATH = '/api/temporal-codec';
const SESSION_COOKIE = 'estate_codec';

const Base64 = z
  .string()
  .max(4 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, coded('BASE64_FORMAT'));

const JsonPayload = z
  .object({
    metadata: z
      .record(z.string().max(256), Base64)
      .nullish()
      .describe('Metadata values, base64 (encoding, encryption-key-id, …)'),
    data: Base64.nullish().describe('The payload bytes, base64'),
  })
  .openapi('TemporalPayload');

const Payloads = z
  .object({ payloads: z.array(JsonPayload).max(10_000) })
  .openapi('TemporalPayloads', { description: "Temporal's codec server format: protobuf JSON of Payload messages" });

type JsonPayload = z.output<typeof JsonPayload>;

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}

/** `X-Namespace` as the UI sends it, for the audit trail (the keys do not depend on it). */
function namespaceOf(req: Request): string | null {
  const ns = req.headers['x-namespace'];
  return typeof ns === 'string' && ns.length > 0 && ns.length <= 200 ? ns : null;
}

function assertMayUseCodec(p: Principal) {
  if (!canDecodeWorkflowPayloads(p))
    throw codecError('CODEC_GROUP_ADMIN_ONLY');
}

/**
 * Appends one codec use to the caller's audit stream `temporal-codec:<userId>`. The Web UI decodes
 * a history in many parallel requests: a transaction-scoped advisory lock on the stream numbers
 * them one after another instead of colliding on (streamId, seq).
 */
async function recordCodecUse(
  db: Db,
  p: Principal,
  req: Request,
  event: { type: 'temporal-codec.decoded' | 'temporal-codec.encoded'; namespace: string | null; origin: string | null; payloads: number; encrypted: number; keyIds: string[] },
) {
  const streamId = `temporal-codec:${p.id}`;
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${streamId}))) AS l`;
    const last = await tx.auditEvent.findFirst({ where: { streamId }, orderBy: { seq: 'desc' }, select: { seq: true } });
    const seq = (last?.seq ?? 0) + 1;
    // A decode shows personal data whole: it is also a row of the record-view log managers read,
    // pointing at this audit event for its details.
    if (event.type === 'temporal-codec.decoded') await tx.recordView.create({ data: workflowPayloadsViewRow(p, req, `${streamId}:${seq}`) });
    await tx.auditEvent.create({
      data: {
        streamId,
        seq,
        type: event.type,
        actor: p.id,
        at: new Date(),
        groupId: p.groupId,
        data: { namespace: event.namespace, origin: event.origin, payloads: event.payloads, encrypted: event.encrypted, keyIds: event.keyIds },
      },
    });
  });
}

/**
 * Lets the Temporal Web UI (another origin: the dev server's UI port, or the cluster's UI) call
 * the codec routes from the browser, with its cookies. Other origins get no CORS headers, so
 * browsers refuse them (and their JSON requests never leave the preflight); the CLI sends no
 * Origin at all. Answers the preflight itself, before authentication (a preflight carries no
 * credentials). Without an Authorization header, the session cookie stands for it, on these
 * routes only.
 */
export function codecCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.append('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    const session = sessionCookieOf(req);
    if (!req.headers.authorization && session) req.headers.authorization = `Bearer ${session}`;
    next();
  };
}

function sessionCookieOf(req: Request): string | null {
  const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9._-]+)`).exec(req.headers.cookie ?? '');
  return match?.[1] ?? null;
}

export function registerTemporalCodecRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  const codec = new AesGcmPayloadCodec(deps.config.temporal.payloadKeys);

  defineRoute(router, registry, {
    method: 'post',
    path: `${CODEC_BASE_PATH}/session`,
    summary: 'Let this browser use the codec from the Temporal Web UI: stores your token in a cookie for the codec routes only / 允许 Temporal 界面解密',
    tags: ['temporal'],
    access: 'workflow-payloads:decode',
    body: z.object({}).describe('No fields: the session is the token you send'),
    response: z.object({ expiresAt: z.string().describe('When the cookie (your token) expires') }).openapi('TemporalCodecSession'),
    async handler({ principal, req, res }) {
      assertMayUseCodec(principal);
      // authenticate() has verified this token; the cookie lives exactly as long as it.
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')![1]!;
      const expiresAt = new Date((decodeJwt(token).exp ?? 0) * 1000);
      const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
      // SameSite=Strict: sent by the Web UI on the same site (same host, another port), never from another site.
      res.setHeader(
        'Set-Cookie',
        `${SESSION_COOKIE}=${token}; Path=${CODEC_BASE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${req.secure ? '; Secure' : ''}`,
      );
      return { expiresAt: expiresAt.toISOString() };
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: `${CODEC_BASE_PATH}/decode`,
    summary: 'Decrypt workflow payloads for the Temporal Web UI or CLI (audited) / 解密工作流数据（记录审计）',
    tags: ['temporal'],
    access: 'workflow-payloads:decode',
    body: Payloads,
    response: Payloads,
    async handler({ body, principal, req }) {
      assertMayUseCodec(principal);
      const encoded = body.payloads.map(fromJson);
      const decoded = encoded.map((p, i) => {
        try {
          return codec.decryptOne(p);
        } catch (err) {
          if (!(err instanceof PayloadDecryptionError)) throw err;
          throw codecError('PAYLOAD_UNDECRYPTABLE', { index: i, message: err.message }, { field: `body.payloads.${i}` });
        }
      });
      const encrypted = encoded.filter(isEncryptedPayload);
      await recordCodecUse(db, principal, req, {
        type: 'temporal-codec.decoded',
        namespace: namespaceOf(req),
        origin: req.headers.origin ?? null,
        payloads: encoded.length,
        encrypted: encrypted.length,
        keyIds: [...new Set(encrypted.map((p) => payloadKeyId(p) ?? ''))].sort(),
      });
      return { payloads: decoded.map(toJson) };
    },
  });

  defineRoute(router, registry, {
    method: 'post',
    path: `${CODEC_BASE_PATH}/encode`,
    summary: 'Encrypt payloads with the current key, e.g. a signal sent from the Temporal Web UI (audited) / 加密工作流数据',
    tags: ['temporal'],
    access: 'workflow-payloads:decode',
    body: Payloads,
    response: Payloads,
    async handler({ body, principal, req }) {
      assertMayUseCodec(principal);
      const plain = body.payloads.map(fromJson);
      // Payloads already encrypted pass as they are: a second layer would reach the worker still encrypted.
      const encoded = plain.map((p) => (isEncryptedPayload(p) ? p : codec.encryptOne(p)));
      await recordCodecUse(db, principal, req, {
        type: 'temporal-codec.encoded',
        namespace: namespaceOf(req),
        origin: req.headers.origin ?? null,
        payloads: plain.length,
        encrypted: plain.filter((p) => !isEncryptedPayload(p)).length,
        keyIds: [deps.config.temporal.payloadKeys.encryptionKeyId],
      });
      return { payloads: encoded.map(toJson) };
    },
  });
}
