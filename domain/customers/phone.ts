/**
 * Phone numbers as callers give them: Chinese mobiles and landlines typed any way, read into one
 * canonical form, or refused with the reason (a code of the customers' error catalogue). Pure: the
 * API's edge and the console's forms apply the same rules.
 *
 * Decisions worth knowing:
 * - Canonical forms: a mobile is its 11 digits (`13800138001`, what was stored before landlines,
 *   so existing rows stay valid); a landline is area code, dash, local number (`0571-88886666`,
 *   `010-62345678`), as it is written on a business card and read back over the phone; a number
 *   of another country is `+` and its digits (`+85291234567`). One canonical form per number is
 *   what makes "one customer per phone number" hold whatever was typed.
 * - Accepted: spaces, dashes, dots, parentheses and full-width characters (`（0571）８８８８６６６６`)
 *   anywhere; a `+86`, `0086` or (for mobiles) a bare `86` country prefix; a landline after `+86`
 *   with or without its trunk 0 (`+86 571 8888 6666`, `+86 (0)571 8888 6666`).
 * - Area codes: `010` and `020`–`029` have three digits, every other code (`0311`…`0999`) four;
 *   China has no other kind, so a number written without separators splits one way only. Local
 *   numbers have 7 or 8 digits and never start with 0 or 1.
 * - Extensions (`-801`, `转801`, `ext 801`) are refused (`PHONE_EXTENSION`) rather than kept: the
 *   number a caller rings from never carries one, so a customer stored with an extension would never
 *   be found by the number on the screen; an extension belongs in the case's notes.
 * - Partial input (a search box) is read by `phoneSearchKey`: the digits, at least four, matched
 *   against the stored number's digits (`phoneDigits`).
 */

/** Why a typed number is refused: each is a reason of the customers' error catalogue (app/customers/errors.ts). */
export const PHONE_REFUSALS = [
  'PHONE_FORMAT',
  'PHONE_MOBILE_LENGTH',
  'PHONE_AREA_CODE_MISSING',
  'PHONE_LOCAL_NUMBER_LENGTH',
  'PHONE_EXTENSION',
] as const;
export type PhoneRefusal = (typeof PHONE_REFUSALS)[number];

export type PhoneKind = 'mobile' | 'landline' | 'international';

export interface Phone {
  kind: PhoneKind;
  /** What is stored and shown: `13800138001`, `0571-88886666`, `+85291234567`. */
  canonical: string;
  /** The canonical form's digits only: the key partial searches match. */
  digits: string;
}

export type PhoneReading =
  | { ok: true; phone: Phone }
  | { ok: false; reason: PhoneRefusal; params?: Record<string, string> };

/** The longest input read at all: a number with every separator a person might type. */
export const PHONE_MAX_INPUT = 40;

const SEPARATORS = /[\s\-.()\u2010-\u2015]/g;
/** Digits and separators, a plus sign first at most, and at least one digit. */
const PHONE_CHARACTERS = /^\+?[\s\-.()\u2010-\u2015]*\d[\d\s\-.()\u2010-\u2015]*$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LOCAL = /^[2-9]\d{6,7}$/;
const EXTENSION_MARK = /(转|分机|ext\.?|x|#)\s*\d{1,6}\s*$/i;

const refuse = (reason: PhoneRefusal, params?: Record<string, string>): PhoneReading => (params ? { ok: false, reason, params } : { ok: false, reason });
const accept = (kind: PhoneKind, canonical: string): PhoneReading => ({ ok: true, phone: { kind, canonical, digits: canonical.replace(/\D/g, '') } });

/** Full-width digits, plus signs, parentheses and dashes as their ASCII selves. */
const normalise = (input: string) => input.normalize('NFKC').trim();

/** The area code a national number starting with 0 has: three digits for 010 and 02x, four for the rest; null for 00 and 01x. */
export function areaCodeOf(national: string): string | null {
  if (/^0(10|2\d)/.test(national)) return national.slice(0, 3);
  if (/^0[3-9]\d\d/.test(national)) return national.slice(0, 4);
  return null;
}

/**
 * Reads a phone number typed by a person into its canonical form, or says why it cannot be one.
 * `input` may carry any separators and full-width characters; see the decisions above.
 */
export function parsePhone(input: string): PhoneReading {
  const s = normalise(input);
  if (s.length === 0 || s.length > PHONE_MAX_INPUT) return refuse('PHONE_FORMAT');
  if (EXTENSION_MARK.test(s) && PHONE_CHARACTERS.test(s.replace(EXTENSION_MARK, '').trim())) return refuse('PHONE_EXTENSION');
  if (!PHONE_CHARACTERS.test(s)) return refuse('PHONE_FORMAT');
  const plus = s.startsWith('+');
  const groups = s.replace(/^\+/, '').split(SEPARATORS).filter(Boolean);
  const digits = groups.join('');

  // Country prefixes: +86 / 0086 (then a landline may have lost its trunk 0), a bare 86 before a mobile only.
  let national: string;
  let afterCountryCode = false;
  if (plus || digits.startsWith('00')) {
    const international = plus ? digits : digits.slice(2);
    if (!international.startsWith('86')) {
      return international.length >= 7 && international.length <= 15 && !international.startsWith('0')
        ? accept('international', `+${international}`)
        : refuse('PHONE_FORMAT');
    }
    national = international.slice(2);
    afterCountryCode = true;
  } else if (/^86/.test(digits) && MOBILE.test(digits.slice(2))) {
    national = digits.slice(2);
  } else {
    national = digits;
  }

  if (MOBILE.test(national)) return accept('mobile', national);
  // After +86 a landline may have dropped its trunk 0 (`+86 571…`, `+86 10…`); 11–19 stays a (mistyped) mobile.
  if (afterCountryCode && national.length > 0 && !national.startsWith('0') && !/^1[1-9]/.test(national)) national = `0${national}`;

  if (national.startsWith('1')) {
    if (national.length !== 11) return refuse('PHONE_MOBILE_LENGTH', { digits: String(national.length) });
    return refuse('PHONE_FORMAT');
  }
  if (!national.startsWith('0')) return national.length >= 7 && national.length <= 8 ? refuse('PHONE_AREA_CODE_MISSING') : refuse('PHONE_FORMAT');

  const areaCode = areaCodeOf(national);
  if (!areaCode) return refuse('PHONE_FORMAT');
  const local = national.slice(areaCode.length);
  // `0571-88886666-801`: a complete local number followed by a further group is an extension.
  if (local.length > 8 && hasExtensionGroup(groups, areaCode)) return refuse('PHONE_EXTENSION');
  if (local.length < 7 || local.length > 8) return refuse('PHONE_LOCAL_NUMBER_LENGTH', { areaCode });
  if (!LOCAL.test(local)) return refuse('PHONE_FORMAT');
  return accept('landline', `${areaCode}-${local}`);
}

/** True when the typed groups read as area code, a whole local number, then more digits. */
function hasExtensionGroup(groups: string[], areaCode: string): boolean {
  let joined = '';
  for (let i = 0; i < groups.length - 1; i++) {
    joined += groups[i];
    const national = joined.replace(/^(0086|86)/, '');
    const withTrunk = national.startsWith('0') ? national : `0${national}`;
    if (withTrunk.startsWith(areaCode) && LOCAL.test(withTrunk.slice(areaCode.length))) return true;
  }
  return false;
}

/** The canonical form, or null when the input is no phone number. */
export function canonicalPhone(input: string): string | null {
  const r = parsePhone(input);
  return r.ok ? r.phone.canonical : null;
}

/** A partial search needs this many digits: fewer match too many numbers to help. */
export const PHONE_SEARCH_MIN_DIGITS = 4;

/**
 * The digits a partially typed number is searched by (matched anywhere in the stored number's
 * digits), or null when the text is no phone number (a name, a case number) or too short. A whole
 * number gives its canonical digits (`+86 571 8888 6666` → `057188886666`); a fragment its digits,
 * less a leading +86 / 0086 (`+86 138 00` → `13800`).
 */
export function phoneSearchKey(text: string): string | null {
  const s = normalise(text);
  if (!PHONE_CHARACTERS.test(s)) return null;
  const whole = parsePhone(s);
  if (whole.ok) return whole.phone.digits;
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('+86')) digits = digits.slice(2);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  return digits.length >= PHONE_SEARCH_MIN_DIGITS ? digits : null;
}

/**
 * Masks a phone number for roles that do not call customers back: a mobile keeps its first three
 * and last four digits (13800138001 → 138****8001), a landline its area code and last four
 * (0571-88886666 → 0571-****6666); any other number at most seven digits (and never all of them).
 */
export function maskPhone(phone: string): string {
  const landline = /^(0\d{2,3})-(\d{7,8})$/.exec(phone);
  if (landline) return `${landline[1]}-${'*'.repeat(landline[2]!.length - 4)}${landline[2]!.slice(-4)}`;
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length < 8) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
