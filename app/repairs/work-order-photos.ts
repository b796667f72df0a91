import type { Principal } from '../../domain/access.js';
import { fetchPhoto, type FetchedPhoto, type PhotoOwnerAccess } from '../photos/fetch-photo.js';
import type { PhotoLimits } from '../photos/photo-content.js';
import type { PhotoStore } from '../photos/photo-store.js';
import { uploadPhoto, type StoredPhoto } from '../photos/upload-photo.js';
import type { AppDeps } from '../shared/deps.js';
import type { WorkOrderPhoto } from '../../prisma/generated/client.js';
import { loadWorkOrderFor } from './load-work-order.js';
import { workOrderError } from './errors.js';
import { currentVisit, isWorkOrderEnded } from '../../domain/repairs/work-order-process.js';
import type { WorkOrderStatus } from '../../domain/repairs/work-order-state.js';
import { findWorkOrderPhotos } from './repository.js';

/** What the photo use cases need besides the database: the photo store and its limits (config.photos). */
export interface WorkOrderPhotoDeps extends AppDeps {
  photos: PhotoStore;
  photoLimits: PhotoLimits;
}

/**
 * Stores a photo of a work order: judged by its content, resized without metadata and kept
 * content-addressed (app/photos), then linked to the order. The holder uploads (on site: before,
 * after); the same bytes twice answer the same keys and link once. recordResult names these keys.
 */
export async function uploadWorkOrderPhoto(deps: WorkOrderPhotoDeps, principal: Principal, id: string, bytes: Uint8Array | null): Promise<WorkOrderPhoto> {
  const { row, live } = await loadWorkOrderFor(deps, principal, id, 'field');
  if (isWorkOrderEnded({ status: row.status as WorkOrderStatus })) throw workOrderError('WORK_ORDER_ENDED');
  // Not read as an image (a JSON or form body): said after the rules, so it tells nothing to others.
  if (!bytes) throw workOrderError('WORK_ORDER_PHOTO_BODY');
  // The visit it belongs to: the live workflow's current one (a rework's photos are its own).
  const visit = live ? (currentVisit(live)?.number ?? null) : null;
  return linkPhoto(deps, row.id, principal.id, await uploadPhoto(deps, { bytes }, deps.photoLimits), 'photo', visit);
}

/** Links a stored photo to a work order once (the pair is unique: the same bytes again keep their first visit). */
export async function linkPhoto(deps: AppDeps, workOrderId: string, uploadedBy: string, p: StoredPhoto, kind: 'photo' | 'signature', visit: number | null = null): Promise<WorkOrderPhoto> {
  return deps.db.workOrderPhoto.upsert({
    where: { workOrderId_key: { workOrderId, key: p.key } },
    create: { workOrderId, key: p.key, thumbKey: p.thumbKey, width: p.width, height: p.height, bytes: p.bytes, contentType: p.contentType, kind, uploadedBy, visit },
    update: {},
  });
}

/**
 * A photo of a work order, only for those who may see the order (loadWorkOrderFor's read rule:
 * another contractor's or technician's order is "not found"), and only a key the order holds.
 */
export function fetchWorkOrderPhoto(deps: WorkOrderPhotoDeps, principal: Principal, o: { id: string; key: string; thumb: boolean }): Promise<FetchedPhoto> {
  const access: PhotoOwnerAccess<Principal, { photos: WorkOrderPhoto[] }> = {
    async findOwner(ownerId) {
      try {
        const { row } = await loadWorkOrderFor(deps, principal, ownerId, 'read');
        return { photos: await findWorkOrderPhotos(deps.db, row.id) };
      } catch (err) {
        if ((err as { reason?: string }).reason === 'WORK_ORDER_NOT_FOUND') return null;
        throw err;
      }
    },
    maySee: () => true,
    photosOf: (owner) => owner.photos,
  };
  return fetchPhoto(deps, access, { principal, ownerId: o.id, photoKey: o.key, variant: o.thumb ? 'thumb' : 'photo' });
}
