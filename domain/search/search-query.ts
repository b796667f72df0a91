import { phoneSearchKey } from '../customers/phone.js';

/**
 * What the text of the one search box can mean. Pure: the API reads the text with these rules and
 * the console may show the same hints. Each reading is null when the text cannot mean that thing;
 * several may hold at once (`1302` is a piece of a phone number and a room), and each kind of
 * record is then searched by its own.
 *
 * - `name`: the text itself, matched inside customers' names (any text but a phone number).
 * - `phoneDigits`: a phone number or a piece of one, four digits or more (domain/customers/phone.ts).
 * - `recordNumber`: a case (CS-), lead (LD-) or sale (SL-) number or a piece of one: with its
 *   prefix (`CS-2026`, `cs20261122`, `SL-20261123-0001`), or the date-and-sequence part
 *   (`20261122-0001`, `20261122-`, `202611220001`). Bare short digits (`0001`) are not read as a
 *   number: they would match every day's first record.
 * - `unit`: a building and a room (`1-302`, `1栋302`, `1幢302室`, `1号楼 302`, `A座1203`, `2 302`), a
 *   room alone (`302`, `302室`, three to five digits) or a building alone (`1栋`, `A座`).
 */

export const RECORD_NUMBER_PREFIXES = ['CS', 'LD', 'SL'] as const;
export type RecordNumberPrefix = (typeof RECORD_NUMBER_PREFIXES)[number];

export interface RecordNumberQuery {
  /** Only records of this kind (the typed prefix), or every kind when null. */
  prefix: RecordNumberPrefix | null;
  /** Matched inside record numbers, as numbers are written (`CS-20261122-0001`, `20261122-00`). */
  fragment: string;
}

export interface UnitQuery {
  /** The building as typed, without its word (`1` of `1栋`, `A` of `A座`); null for a room alone. */
  building: string | null;
  /** The start of the room number (`302` of `1幢302室`); null for a building alone. */
  room: string | null;
}

export interface SearchQuery {
  text: string;
  name: string | null;
  phoneDigits: string | null;
  recordNumber: RecordNumberQuery | null;
  unit: UnitQuery | null;
}

/** The longest search text read. */
export const SEARCH_MAX_LENGTH = 50;

/** How a building is named after its number or letter: 1栋, 1幢, 1号楼, A座, 1号, 1楼, 1#. */
const BUILDING_WORDS = ['栋', '幢', '号楼', '座', '号', '楼', '#'] as const;
const BUILDING_WORD = `(?:栋|幢|号楼|座|号|楼|#)`;
const SEPARATOR = `(?:\\s*${BUILDING_WORD}\\s*-?\\s*|\\s*[-/_\\s]\\s*)`;
/** An optional entrance (3单元), which the records do not keep: skipped. */
const ENTRANCE = `(?:[0-9]{1,2}\\s*单元\\s*-?\\s*)?`;
const ROOM = `([0-9]{1,5})\\s*(?:室|号|房)?`;
/**
 * A numbered building needs its word or a separator before the room (`1栋302`, `1-302`, `1 302`);
 * a lettered one may run into it (`A1203`).
 */
const BUILDING_AND_ROOM = new RegExp(`^(?:([0-9]{1,3})${SEPARATOR}|([A-Za-z])${SEPARATOR}?)${ENTRANCE}${ROOM}$`, 'i');
const BUILDING_ALONE = new RegExp(`^([0-9]{1,3}|[A-Za-z])\\s*${BUILDING_WORD}$`, 'i');
const ROOM_ALONE = /^([0-9]{3,5})\s*(?:室|号|房)?$/;

export function readUnitQuery(text: string): UnitQuery | null {
  const s = text.normalize('NFKC').trim();
  const room = ROOM_ALONE.exec(s);
  if (room) return { building: null, room: room[1]! };
  const both = BUILDING_AND_ROOM.exec(s);
  if (both) return { building: (both[1] ?? both[2]!).toUpperCase(), room: both[3]! };
  const building = BUILDING_ALONE.exec(s);
  if (building) return { building: building[1]!.toUpperCase(), room: null };
  return null;
}

/** The names a building typed as `token` may have in the records: `1`, `1栋`, `1幢`, `1号楼`… */
export function buildingNameVariants(token: string): string[] {
  return [token, ...BUILDING_WORDS.map((w) => `${token}${w}`)];
}

export function readRecordNumber(text: string): RecordNumberQuery | null {
  const typed = text.normalize('NFKC').trim().toUpperCase();
  // Spaces are dropped after a prefix (`SL 20261123 0001`); without one, digits in groups are a phone number.
  const s = /^(CS|LD|SL)/.test(typed) ? typed.replace(/\s+/g, '') : typed;
  const m = /^(CS|LD|SL)?-?([0-9][0-9-]*)?$/.exec(s);
  if (!m) return null;
  const prefix = (m[1] as RecordNumberPrefix | undefined) ?? null;
  const rest = m[2] ?? '';
  const digits = rest.replace(/-/g, '');
  // The date part has eight digits; the dash after it is written back where it was left out.
  const dashed = digits.length > 8 || (digits.length === 8 && rest.endsWith('-')) ? `${digits.slice(0, 8)}-${digits.slice(8)}` : digits;
  if (prefix) return { prefix, fragment: dashed ? `${prefix}-${dashed}` : `${prefix}-` };
  // Without a prefix: the date and a dash (20261122-0001), or twelve digits written together.
  if (/^[0-9]{6,8}-[0-9]{0,4}$/.test(rest) || /^[0-9]{12}$/.test(rest)) return { prefix: null, fragment: dashed };
  return null;
}

export function readSearchQuery(text: string): SearchQuery {
  const t = text.normalize('NFKC').trim().slice(0, SEARCH_MAX_LENGTH);
  const phoneDigits = phoneSearchKey(t);
  const onlyPhoneCharacters = /^[+\d\s\-.()]*$/.test(t);
  return {
    text: t,
    name: t.length > 0 && !onlyPhoneCharacters ? t : null,
    phoneDigits,
    recordNumber: readRecordNumber(t),
    unit: readUnitQuery(t),
  };
}
