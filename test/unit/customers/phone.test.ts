import { describe, expect, it } from 'vitest';
import { canonicalPhone, maskPhone, parsePhone, phoneSearchKey, PHONE_REFUSALS, type PhoneRefusal } from '../../../domain/customers/phone.js';
import { CUSTOMER_ERRORS } from '../../../app/customers/errors.js';

const refusalOf = (input: string) => {
  const r = parsePhone(input);
  return r.ok ? `accepted as ${r.phone.canonical}` : r.reason;
};

describe('mobile numbers', () => {
  it('keeps 11 digits starting 13–19 as they are (the form stored before landlines)', () => {
    for (const n of ['13800138001', '14500000000', '15912345678', '16612345678', '17012345678', '18812345678', '19912345678'])
      expect(parsePhone(n)).toEqual({ ok: true, phone: { kind: 'mobile', canonical: n, digits: n } });
  });

  it('ignores spaces, dashes, dots and parentheses however they are placed', () => {
    for (const typed of ['138 0013 8001', '138-0013-8001', '138.0013.8001', '(138) 0013 8001', ' 1380013 8001 ', '1 3 8 0 0 1 3 8 0 0 1', '138\t0013\u00a08001'])
      expect(canonicalPhone(typed), typed).toBe('13800138001');
  });

  it('drops a +86, 0086 or bare 86 country prefix', () => {
    for (const typed of ['+8613800138001', '+86 138 0013 8001', '+86-138-0013-8001', '008613800138001', '0086 138 0013 8001', '8613800138001', '86 138 0013 8001'])
      expect(canonicalPhone(typed), typed).toBe('13800138001');
  });

  it('reads full-width digits and signs as typed by a Chinese input method', () => {
    expect(canonicalPhone('１３８００１３８００１')).toBe('13800138001');
    expect(canonicalPhone('＋８６ １３８－００１３－８００１')).toBe('13800138001');
  });

  it('refuses a number starting with 1 that has not 11 digits, saying how many it has', () => {
    expect(parsePhone('12345')).toEqual({ ok: false, reason: 'PHONE_MOBILE_LENGTH', params: { digits: '5' } });
    expect(parsePhone('1380013800')).toEqual({ ok: false, reason: 'PHONE_MOBILE_LENGTH', params: { digits: '10' } });
    expect(parsePhone('138 0013 80012')).toEqual({ ok: false, reason: 'PHONE_MOBILE_LENGTH', params: { digits: '12' } });
  });

  it('refuses 11 digits starting 10, 11 or 12: no mobile network uses them', () => {
    for (const n of ['10012345678', '11012345678', '12345678901']) expect(refusalOf(n), n).toBe('PHONE_FORMAT');
  });
});

describe('landlines', () => {
  it('writes a landline as area code, dash, local number', () => {
    expect(parsePhone('0571-88886666')).toEqual({ ok: true, phone: { kind: 'landline', canonical: '0571-88886666', digits: '057188886666' } });
  });

  it('reads the same landline typed every usual way', () => {
    for (const typed of [
      '0571-88886666',
      '0571 8888 6666',
      '0571-8888-6666',
      '(0571)88886666',
      '(0571) 8888-6666',
      '（0571）88886666',
      '0571.8888.6666',
      '057188886666',
      '+86 571 8888 6666',
      '+86 (0)571 8888 6666',
      '+86-571-88886666',
      '0086 571 8888 6666',
      '０５７１－８８８８６６６６',
    ])
      expect(canonicalPhone(typed), typed).toBe('0571-88886666');
  });

  it('gives Beijing (010) and the 02x cities three-digit area codes, every other city four', () => {
    expect(canonicalPhone('01062345678')).toBe('010-62345678');
    expect(canonicalPhone('+86 10 6234 5678')).toBe('010-62345678');
    expect(canonicalPhone('021 5888 1234')).toBe('021-58881234');
    expect(canonicalPhone('02087654321')).toBe('020-87654321');
    expect(canonicalPhone('075588886666')).toBe('0755-88886666');
    expect(canonicalPhone('0311-8666666')).toBe('0311-8666666');
  });

  it('accepts seven- and eight-digit local numbers', () => {
    expect(canonicalPhone('0571 8888 666')).toBe('0571-8888666');
    expect(canonicalPhone('010 6234 5678')).toBe('010-62345678');
  });

  it('refuses a local number without its area code', () => {
    expect(refusalOf('88886666')).toBe('PHONE_AREA_CODE_MISSING');
    expect(refusalOf('8888 666')).toBe('PHONE_AREA_CODE_MISSING');
  });

  it('refuses a local number of the wrong length after an area code, naming the area code', () => {
    expect(parsePhone('0571-888866')).toEqual({ ok: false, reason: 'PHONE_LOCAL_NUMBER_LENGTH', params: { areaCode: '0571' } });
    expect(parsePhone('010-123456789')).toEqual({ ok: false, reason: 'PHONE_LOCAL_NUMBER_LENGTH', params: { areaCode: '010' } });
    expect(parsePhone('0571')).toEqual({ ok: false, reason: 'PHONE_LOCAL_NUMBER_LENGTH', params: { areaCode: '0571' } });
  });

  it('refuses local numbers starting with 0 or 1 and area codes that do not exist (01x other than 010)', () => {
    expect(refusalOf('0571-08886666')).toBe('PHONE_FORMAT');
    expect(refusalOf('010-12345678')).toBe('PHONE_FORMAT');
    expect(refusalOf('0123-4567890')).toBe('PHONE_FORMAT');
    expect(refusalOf('057')).toBe('PHONE_FORMAT');
  });
});

describe('extensions', () => {
  it('refuses an extension however it is written: the number a caller rings from has none', () => {
    for (const typed of ['0571-88886666-801', '0571 8888 6666 801', '0571-88886666转801', '0571-88886666 转 801', '0571-88886666 ext. 801', '0571-88886666x801', '0571-88886666#801', '+86 571 8888 6666-801', '0571-88886666分机801'])
      expect(refusalOf(typed), typed).toBe('PHONE_EXTENSION');
  });

  it('does not take the two halves of a local number for a number and its extension', () => {
    expect(canonicalPhone('0571-8888-6666')).toBe('0571-88886666');
    expect(canonicalPhone('021 5888 1234')).toBe('021-58881234');
  });
});

describe('numbers of other countries', () => {
  it('keeps + and the digits', () => {
    expect(parsePhone('+852 9123 4567')).toEqual({ ok: true, phone: { kind: 'international', canonical: '+85291234567', digits: '85291234567' } });
    expect(canonicalPhone('+1 (415) 555-0100')).toBe('+14155550100');
    expect(canonicalPhone('00852 9123 4567')).toBe('+85291234567');
  });

  it('refuses fewer than 7 or more than 15 digits after the +', () => {
    expect(refusalOf('+852 123')).toBe('PHONE_FORMAT');
    expect(refusalOf('+1234567890123456')).toBe('PHONE_FORMAT');
  });

  it('refuses a China number after +86 that is neither a mobile nor a landline', () => {
    expect(refusalOf('+86')).toBe('PHONE_FORMAT');
    expect(refusalOf('+86 138 0013 800')).toBe('PHONE_MOBILE_LENGTH');
    expect(refusalOf('+86 571 8888')).toBe('PHONE_LOCAL_NUMBER_LENGTH');
  });
});

describe('what is no phone number at all', () => {
  it('refuses letters, other signs, a + inside the number, and nothing', () => {
    for (const typed of ['', '   ', 'not-a-phone', 'abc', '138O0138001', '138-0013-8001!', '138+00138001', '+', '--', '王先生', '13800138001; DROP'])
      expect(refusalOf(typed), JSON.stringify(typed)).toBe('PHONE_FORMAT');
  });

  it('refuses an input too long to be a number someone typed', () => {
    expect(refusalOf(`138 ${' '.repeat(40)}00138001`)).toBe('PHONE_FORMAT');
  });
});

describe('refusal codes', () => {
  it('are every one a reason of the customers catalogue, with the same placeholders as the params they come with', () => {
    for (const reason of PHONE_REFUSALS) expect(CUSTOMER_ERRORS, reason).toHaveProperty(reason);
    const params: Partial<Record<PhoneRefusal, string[]>> = { PHONE_MOBILE_LENGTH: ['digits'], PHONE_LOCAL_NUMBER_LENGTH: ['areaCode'] };
    for (const reason of PHONE_REFUSALS) {
      const placeholders = [...CUSTOMER_ERRORS[reason].en.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(placeholders, reason).toEqual(params[reason] ?? []);
    }
  });
});

describe('the search key of a partly typed number', () => {
  it('is the digits of a fragment of four digits or more, wherever it was typed from', () => {
    expect(phoneSearchKey('8001')).toBe('8001');
    expect(phoneSearchKey('8888 6666')).toBe('88886666');
    expect(phoneSearchKey('0571-8888')).toBe('05718888');
    expect(phoneSearchKey('(0571) 88')).toBe('057188');
    expect(phoneSearchKey('138 0013')).toBe('1380013');
  });

  it('is the canonical digits of a whole number, whatever its prefix', () => {
    expect(phoneSearchKey('+86 571 8888 6666')).toBe('057188886666');
    expect(phoneSearchKey('0086 138 0013 8001')).toBe('13800138001');
  });

  it('leaves out a +86 or 0086 prefix of a fragment', () => {
    expect(phoneSearchKey('+86 138 00')).toBe('13800');
    expect(phoneSearchKey('0086 1380')).toBe('1380');
  });

  it('is null for fewer than four digits, names, case numbers and units', () => {
    for (const text of ['138', '+86 13', '王先生', 'Wang', 'CS-20261122-0001', '1栋302', '', '  '])
      expect(phoneSearchKey(text), text).toBeNull();
  });
});

describe('masking', () => {
  it('keeps the area code and the last four digits of a landline', () => {
    expect(maskPhone('0571-88886666')).toBe('0571-****6666');
    expect(maskPhone('010-62345678')).toBe('010-****5678');
    expect(maskPhone('0311-8666666')).toBe('0311-***6666');
  });

  it('masks mobiles and other numbers as before', () => {
    expect(maskPhone('13800138001')).toBe('138****8001');
    expect(maskPhone('+85291234567')).toBe('+85*****4567');
  });
});
