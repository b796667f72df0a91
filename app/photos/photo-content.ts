import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import { DomainError } from '../errors.js';
import { photoError } from './errors.js';

/**
 * What an uploaded photo must be, judged by its bytes alone (a file's name and the type its sender
 * declares are not looked at: a PNG named `.jpg` is a PNG, a PDF named `.jpg` is refused), and
 * what is kept of it.
 *
 * Decisions worth knowing:
 * - Accepted: JPEG, PNG and WebP. HEIC (what iPhones take) is refused with its own message, saying
 *   how to send a JPEG: the image library's published build has no HEVC decoder (`sharp.format.heif`
 *   reads AVIF only), and a build with one is not to be had from the registries.
 * - Size is checked before anything reads the content; pixels (width × height from the header)
 *   before any decoding, so a small file that would decode into gigabytes (a "decompression bomb")
 *   is refused cheaply.
 * - Kept: the photo turned upright by its EXIF orientation, longest side at most 1600 px (never
 *   enlarged), in its own format; and a thumbnail, longest side 320 px, as WebP. Every piece of
 *   metadata (EXIF with GPS position, camera serials, XMP, comments, ICC profiles: colours are
 *   converted to sRGB) is dropped: the image library writes none unless asked to.
 */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export const PHOTO_LONGEST_SIDE = 1600;
export const THUMB_LONGEST_SIDE = 320;
export const DEFAULT_PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** 100 megapixels: above any phone's default (12–50 MP) and its full-sensor modes up to 108 MP… not 200. */
export const PHOTO_MAX_PIXELS = 100_000_000;

export interface PhotoLimits {
  maxBytes: number;
  maxPixels?: number;
}

const megabytes = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10;

/** The photo's type by its content, or the refusal (413, 415, 400). */
export async function checkPhotoContent(bytes: Uint8Array, limits: PhotoLimits): Promise<PhotoType> {
  if (bytes.byteLength === 0) throw photoError('PHOTO_EMPTY');
  if (bytes.byteLength > limits.maxBytes)
    throw photoError('PHOTO_SIZE_OVER_LIMIT', { maxMegabytes: megabytes(limits.maxBytes), megabytes: megabytes(bytes.byteLength) });
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) throw photoError('PHOTO_TYPE_UNKNOWN');
  if ((PHOTO_TYPES as readonly string[]).includes(detected.mime)) return detected.mime as PhotoType;
  if (detected.mime === 'image/heic' || detected.mime === 'image/heif' || detected.ext === 'heic') throw photoError('PHOTO_HEIC_UNSUPPORTED');
  throw photoError('PHOTO_TYPE_DETECTED', { detected: detected.ext.toUpperCase() });
}

export interface ProcessedImage {
  bytes: Uint8Array;
  contentType: string;
  width: number;
  height: number;
}

export interface ProcessedPhoto {
  type: PhotoType;
  photo: ProcessedImage;
  thumb: ProcessedImage;
}

/**
 * Checks the bytes (checkPhotoContent), then decodes them once and writes the kept photo and its
 * thumbnail, both without metadata. A file that passes the type check but does not decode (a
 * truncated or damaged one) is refused with PHOTO_UNREADABLE (422).
 */
export async function processPhoto(bytes: Uint8Array, limits: PhotoLimits): Promise<ProcessedPhoto> {
  const type = await checkPhotoContent(bytes, limits);
  const maxPixels = limits.maxPixels ?? PHOTO_MAX_PIXELS;
  try {
    const header = await sharp(bytes).metadata();
    const pixels = (header.width ?? 0) * (header.height ?? 0);
    if (pixels > maxPixels)
      throw photoError('PHOTO_PIXELS_OVER_LIMIT', { maxMegapixels: Math.round(maxPixels / 1e6), megapixels: Math.round(pixels / 1e5) / 10 });
    // failOn 'error': a damaged file is refused rather than stored half grey; autoOrient applies
    // and then drops the EXIF orientation.
    const decoded = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, autoOrient: true });
    const [photo, thumb] = await Promise.all([
      encode(decoded.clone().resize(fit(PHOTO_LONGEST_SIDE)), type),
      encode(decoded.clone().resize(fit(THUMB_LONGEST_SIDE)), 'image/webp', 75),
    ]);
    return { type, photo, thumb };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw photoError('PHOTO_UNREADABLE');
  }
}

const fit = (side: number) => ({ width: side, height: side, fit: 'inside' as const, withoutEnlargement: true });

async function encode(pipeline: Sharp, type: PhotoType, quality = 82): Promise<ProcessedImage> {
  const encoded =
    type === 'image/jpeg'
      ? pipeline.jpeg({ quality, mozjpeg: true })
      : type === 'image/png'
        ? pipeline.png()
        : pipeline.webp({ quality });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), contentType: type, width: info.width, height: info.height };
}
