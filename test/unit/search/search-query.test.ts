import { describe, expect, it } from 'vitest';
import { buildingNameVariants, readRecordNumber, readSearchQuery, readUnitQuery } from '../../../domain/search/search-query.js';

describe('units', () => {
  it('reads a building and a room however the building is named', () => {
    for (const typed of ['1-302', '1栋302', '1幢302室', '1号楼302', '1号楼 302', '1 栋 302 室', '1 302', '1/302', '1#302', '1栋3单元302', '1号楼-302'])
      expect(readUnitQuery(typed), typed).toEqual({ building: '1', room: '302' });
  });

  it('reads lettered buildings, upper-cased, with or without their word', () => {
    expect(readUnitQuery('A座1203')).toEqual({ building: 'A', room: '1203' });
    expect(readUnitQuery('a-1203')).toEqual({ building: 'A', room: '1203' });
    expect(readUnitQuery('B1203')).toEqual({ building: 'B', room: '1203' });
  });

  it('reads three to five digits as a room of any building', () => {
    expect(readUnitQuery('302')).toEqual({ building: null, room: '302' });
    expect(readUnitQuery('302室')).toEqual({ building: null, room: '302' });
    expect(readUnitQuery('12030')).toEqual({ building: null, room: '12030' });
  });

  it('reads a building alone when it has its word', () => {
    expect(readUnitQuery('1栋')).toEqual({ building: '1', room: null });
    expect(readUnitQuery('A座')).toEqual({ building: 'A', room: null });
  });

  it('reads the start of a room while it is being typed', () => {
    expect(readUnitQuery('1-3')).toEqual({ building: '1', room: '3' });
    expect(readUnitQuery('1栋30')).toEqual({ building: '1', room: '30' });
  });

  it('reads full-width digits', () => {
    expect(readUnitQuery('１－３０２')).toEqual({ building: '1', room: '302' });
  });

  it('is null for names, phone numbers, case numbers and short digits', () => {
    for (const typed of ['王先生', '13800138001', '0571-88886666', 'CS-20261122-0001', '30', '1', '', 'Wang'])
      expect(readUnitQuery(typed), typed).toBeNull();
  });

  it('names the variants a building token may be stored as', () => {
    expect(buildingNameVariants('1')).toEqual(['1', '1栋', '1幢', '1号楼', '1座', '1号', '1楼', '1#']);
  });
});

describe('record numbers', () => {
  it('reads a prefixed number or a piece of one, for that kind only', () => {
    expect(readRecordNumber('CS-20261122-0001')).toEqual({ prefix: 'CS', fragment: 'CS-20261122-0001' });
    expect(readRecordNumber('cs-2026')).toEqual({ prefix: 'CS', fragment: 'CS-2026' });
    expect(readRecordNumber('LD')).toEqual({ prefix: 'LD', fragment: 'LD-' });
    expect(readRecordNumber('sl 20261123 0001')).toEqual({ prefix: 'SL', fragment: 'SL-20261123-0001' });
  });

  it('writes back the dashes a typist left out', () => {
    expect(readRecordNumber('CS202611220001')).toEqual({ prefix: 'CS', fragment: 'CS-20261122-0001' });
    expect(readRecordNumber('CS20261122')).toEqual({ prefix: 'CS', fragment: 'CS-20261122' });
    expect(readRecordNumber('202611220001')).toEqual({ prefix: null, fragment: '20261122-0001' });
  });

  it('reads the date-and-sequence part without a prefix, for every kind', () => {
    expect(readRecordNumber('20261122-0001')).toEqual({ prefix: null, fragment: '20261122-0001' });
    expect(readRecordNumber('20261122-')).toEqual({ prefix: null, fragment: '20261122-' });
  });

  it('is null for bare short digits, phone numbers and names', () => {
    for (const typed of ['0001', '8001', '13800138001', '0571-88886666', '0571-8888', '王先生', 'CSX-1', '1-302'])
      expect(readRecordNumber(typed), typed).toBeNull();
  });
});

describe('the whole search text', () => {
  it('reads a landline typed with spaces and dashes as a phone number only', () => {
    expect(readSearchQuery(' 0571 8888-6666 ')).toEqual({ text: '0571 8888-6666', name: null, phoneDigits: '057188886666', recordNumber: null, unit: null });
  });

  it('reads a name as a name only', () => {
    expect(readSearchQuery('王先生')).toEqual({ text: '王先生', name: '王先生', phoneDigits: null, recordNumber: null, unit: null });
  });

  it('reads four digits as a piece of a phone number and as a room', () => {
    expect(readSearchQuery('1302')).toMatchObject({ name: null, phoneDigits: '1302', recordNumber: null, unit: { building: null, room: '1302' } });
  });

  it('reads a unit as a unit, and also as a name (no customer is called 1栋302)', () => {
    expect(readSearchQuery('1栋302')).toMatchObject({ name: '1栋302', phoneDigits: null, recordNumber: null, unit: { building: '1', room: '302' } });
  });

  it('reads a case number as a number', () => {
    expect(readSearchQuery('CS-20261122-0001')).toMatchObject({ phoneDigits: null, recordNumber: { prefix: 'CS', fragment: 'CS-20261122-0001' }, unit: null });
  });

  it('reads at most 50 characters', () => {
    expect(readSearchQuery('王'.repeat(80)).text).toHaveLength(50);
  });
});
