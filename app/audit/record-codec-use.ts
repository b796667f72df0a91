import type { Principal } from '../../domain/access.js';
import type { Db } from '../../platform/db.js';
import type { Prisma } from '../../prisma/generated/client.js';
import { createRecordViewIn } from '../record-views/repository.js';
import { appendAuditEventSerialised } from './repository.js';

/** One use of the Temporal payload codec (the Web UI or CLI decoding or encoding workflow payloads). */
export interface CodecUse {
  type: 'temporal-codec.decoded' | 'temporal-codec.encoded';
  namespace: string | null;
  origin: string | null;
  payloads: number;
  encrypted: number;
  keyIds: string[];
}

/**
 * Appends one codec use to the caller's audit stream `temporal-codec:<userId>`. The Web UI decodes
 * a history in many parallel requests: the stream is appended under a lock, numbering them one
 * after another instead of colliding on (streamId, seq). A decode shows personal data whole: it is
 * also a row of the record-view log managers read (`viewRowFor`), pointing at this audit event
 * (`<stream>:<seq>`) for its details, written in the same transaction.
 */
export async function recordCodecUse(db: Db, p: Principal, use: CodecUse, viewRowFor: (auditRef: string) => Prisma.RecordViewCreateManyInput): Promise<void> {
  const streamId = `temporal-codec:${p.id}`;
  await appendAuditEventSerialised(
    db,
    {
      streamId,
      type: use.type,
      actor: p.id,
      at: new Date(),
      groupId: p.groupId,
      data: { namespace: use.namespace, origin: use.origin, payloads: use.payloads, encrypted: use.encrypted, keyIds: use.keyIds },
    },
    use.type === 'temporal-codec.decoded' ? (tx, seq) => createRecordViewIn(tx, viewRowFor(`${streamId}:${seq}`)) : undefined,
  );
}
