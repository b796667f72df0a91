import sharp from 'sharp';

/** Real image bytes for the photo tests, made with the image library itself (nothing checked in). */

/** A picture with some detail (a gradient and a block), so encoders have something to keep. */
export function picture(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.round((255 * x) / width);
      raw[i + 1] = Math.round((255 * y) / height);
      raw[i + 2] = x < width / 3 && y < height / 3 ? 255 : 40;
    }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** What a phone writes into a photo: its make, a description, and where it was taken (the GPS IFD). */
export const PHONE_EXIF = {
  IFD0: { Make: 'SentinelPhoneMaker', Model: 'SP-1', ImageDescription: 'taken-at-owner-home' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 15/1 5000/100', GPSLongitudeRef: 'E', GPSLongitude: '120/1 10/1 0/1' },
};

export const jpeg = (width: number, height: number, o: { orientation?: number; exif?: boolean } = {}) => {
  let p = picture(width, height);
  if (o.exif) p = p.withExif(PHONE_EXIF);
  if (o.orientation) p = p.withMetadata({ orientation: o.orientation });
  return p.jpeg({ quality: 90 }).toBuffer();
};
export const png = (width: number, height: number) => picture(width, height).png().toBuffer();
export const webp = (width: number, height: number, o: { exif?: boolean } = {}) =>
  (o.exif ? picture(width, height).withExif(PHONE_EXIF) : picture(width, height)).webp().toBuffer();
export const gif = (width: number, height: number) => picture(width, height).gif().toBuffer();
export const avif = (width: number, height: number) => picture(width, height).avif({ effort: 0 }).toBuffer();

/** The start of an HEIC file (an ISO-BMFF `ftyp` box of brand heic), as an iPhone writes it. */
export function heicHeader(): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftyp', 4, 'latin1');
  box.write('heic', 8, 'latin1');
  box.writeUInt32BE(0, 12);
  box.write('mif1heic', 16, 'latin1');
  return Buffer.concat([box, Buffer.alloc(2000)]);
}

/** A one-page PDF. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/**
 * The tags of IFD0 of an EXIF block (as `sharp().metadata().exif` gives it: `Exif\0\0` and a TIFF
 * structure): enough to see that a photo carries a GPS position (tag 0x8825, the GPS IFD pointer).
 */
export function ifd0Tags(exif: Buffer): number[] {
  const tiff = exif.subarray(exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0);
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  return Array.from({ length: u16(ifd) }, (_, i) => u16(ifd + 2 + i * 12));
}
export const GPS_IFD_POINTER = 0x8825;
export const MAKE_TAG = 0x010f;
