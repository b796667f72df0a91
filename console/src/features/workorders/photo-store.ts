/**
 * The phone's own copy of photos not yet uploaded, in IndexedDB (through idb-keyval), so a photo
 * taken in a basement without signal survives the page being closed, reloaded or the browser being
 * killed: the job page picks the order's waiting photos up again and sends them with the
 * Idempotency-Key each got when it was taken. A photo leaves the store when the server answered
 * it (stored, or refused and removed by the user).
 *
 * Where IndexedDB is unavailable (some private windows), the queue works in memory as before:
 * every call here fails soft and says so once in the console.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

export interface StoredPhoto {
  id: string;
  orderId: string;
  key: string;
  file: Blob;
  name: string;
  addedAt: number;
}

let store: UseStore | null | undefined;
function photoStore(): UseStore | null {
  if (store !== undefined) return store;
  try {
    store = typeof indexedDB === 'undefined' ? null : createStore('estate-care-photo-queue', 'photos');
  } catch {
    store = null;
  }
  return store;
}

let warned = false;
function soft<T>(p: Promise<T>, fallback: T): Promise<T> {
  return p.catch((err: unknown) => {
    if (!warned) {
      warned = true;
      console.warn('photo queue: IndexedDB unavailable, photos wait in memory only', err);
    }
    return fallback;
  });
}

/** Keeps one waiting photo. */
export function keepPhoto(p: StoredPhoto): Promise<void> {
  const s = photoStore();
  return s ? soft(set(p.id, p, s), undefined) : Promise.resolve();
}

/** Forgets one photo (uploaded, or removed after a refusal). */
export function forgetPhoto(id: string): Promise<void> {
  const s = photoStore();
  return s ? soft(del(id, s), undefined) : Promise.resolve();
}

/** The order's waiting photos, oldest first. */
export async function waitingPhotos(orderId: string): Promise<StoredPhoto[]> {
  const s = photoStore();
  if (!s) return [];
  const all = await soft(entries<string, StoredPhoto>(s), []);
  return all
    .map(([, v]) => v)
    .filter((v) => v && v.orderId === orderId && v.file instanceof Blob)
    .sort((a, b) => a.addedAt - b.addedAt);
}
