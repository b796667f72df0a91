import type { Request, Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Payload } from '@temporalio/common';
import { decodeJwt } from 'jose';
import { z } from '../http/zod.js';
import { canDecodeWorkflowPayloads, type Principal } from '../../domain/access.js';
import type { ApiDeps } from '../context.js';
import { coded } from '../http/errors.js';
import { codecError } from '../../app/temporal-codec/errors.js';
import { defineRoute, type OperationId } from '../http/route.js';
import { workflowPayloadsViewRow } from '../record-views/record-view-log.js';
import { recordCodecUse, type CodecUse } from '../../app/audit/record-codec-use.js';
import { CODEC_BASE_PATH, SESSION_COOKIE } from './codec-cors.js';
import { AesGcmPayloadCodec, PayloadDecryptionError, isEncryptedPayload, payloadKeyId } from '../../platform/temporal/payload-codec.js';

/**
 * The codec server protocol of the Temporal Web UI and CLI (`--codec-endpoint`): `POST …/decode`
 * and `…/encode` with `{payloads: [{metadata: {key: base64}, data: base64}]}`, answered in the same
 * shape, here behind the API's authentication. The UI calls it from the browser (CORS, below),
 * with the namespace in `X-Namespace`. Authentication and CORS: codec-cors.ts.
 */

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

export function registerTemporalCodecRoutes(router: Router, registry: OpenAPIRegistry, deps: ApiDeps): void {
  const { db } = deps;
  const codec = new AesGcmPayloadCodec(deps.config.temporal.payloadKeys);

  defineRoute(router, registry, {
    method: 'post',
    path: `${CODEC_BASE_PATH}/session`,
    operationId: 'createCodecSession',
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

  /**
   * One operation of the codec protocol: POST `…/<op>` taking and answering the protocol's payloads,
   * for group administrators only, each use audited with where it came from (the UI's namespace
   * and origin); a decode is also a row of the record-view log.
   */
  const codecRoute = (o: {
    op: 'decode' | 'encode';
    operationId: OperationId;
    summary: string;
    run: (payloads: Payload[]) => { payloads: Payload[]; use: Omit<CodecUse, 'namespace' | 'origin'> };
  }) =>
    defineRoute(router, registry, {
      method: 'post',
      path: `${CODEC_BASE_PATH}/${o.op}`,
      operationId: o.operationId,
      summary: o.summary,
      tags: ['temporal'],
      access: 'workflow-payloads:decode',
      body: Payloads,
      response: Payloads,
      async handler({ body, principal, req }) {
        assertMayUseCodec(principal);
        const { payloads, use } = o.run(body.payloads.map(fromJson));
        const from = { namespace: namespaceOf(req), origin: req.headers.origin ?? null };
        await recordCodecUse(db, principal, { ...use, ...from }, (auditRef) => workflowPayloadsViewRow(principal, req, auditRef));
        return { payloads: payloads.map(toJson) };
      },
    });

  codecRoute({
    op: 'decode',
    operationId: 'decodePayloads',
    summary: 'Decrypt workflow payloads for the Temporal Web UI or CLI (audited) / 解密工作流数据（记录审计）',
    run(encoded) {
      const decoded = encoded.map((p, i) => {
        try {
          return codec.decryptOne(p);
        } catch (err) {
          if (!(err instanceof PayloadDecryptionError)) throw err;
          throw codecError('PAYLOAD_UNDECRYPTABLE', { index: i, message: err.message }, { field: `body.payloads.${i}` });
        }
      });
      const encrypted = encoded.filter(isEncryptedPayload);
      const keyIds = [...new Set(encrypted.map((p) => payloadKeyId(p) ?? ''))].sort();
      return { payloads: decoded, use: { type: 'temporal-codec.decoded', payloads: encoded.length, encrypted: encrypted.length, keyIds } };
    },
  });

  codecRoute({
    op: 'encode',
    operationId: 'encodePayloads',
    summary: 'Encrypt payloads with the current key, e.g. a signal sent from the Temporal Web UI (audited) / 加密工作流数据',
    run(plain) {
      // Payloads already encrypted pass as they are: a second layer would reach the worker still encrypted.
      const encoded = plain.map((p) => (isEncryptedPayload(p) ? p : codec.encryptOne(p)));
      const encrypted = plain.filter((p) => !isEncryptedPayload(p)).length;
      return { payloads: encoded, use: { type: 'temporal-codec.encoded', payloads: plain.length, encrypted, keyIds: [deps.config.temporal.payloadKeys.encryptionKeyId] } };
    },
  });
}
