import { describe, expect, it } from 'vitest';
import {
  categoryPath,
  DEFAULT_CATEGORIES,
  isCategoryCode,
  isLeafCategory,
  isValidCategory,
  isWithinCategory,
  parseCategories,
} from '../../../domain/cases/categories.js';

describe('category taxonomy', () => {
  it('knows the handbook categories at every level', () => {
    expect(isValidCategory({ code: 'complaint' })).toBe(true);
    expect(isValidCategory({ code: 'complaint.quality' })).toBe(true);
    expect(isValidCategory({ code: 'complaint.quality.leakage' })).toBe(true);
    expect(isValidCategory({ code: 'complaint.service.cleaning' })).toBe(true);
    expect(isValidCategory({ code: 'suggestion.layout' })).toBe(true);
    expect(isValidCategory({ code: 'complaint.quality.ghosts' })).toBe(false);
  });

  it('gives the root-to-node path for breadcrumbs and roll-ups', () => {
    expect(categoryPath({ code: 'complaint.quality.leakage' }).map((c) => c.name.en)).toEqual(['Complaint', 'Building quality', 'Leakage']);
    expect(categoryPath({ code: 'complaint.quality.leakage' }).map((c) => c.name.zh)).toEqual(['投诉', '工程质量', '渗漏']);
    expect(categoryPath({ code: 'nope' })).toEqual([]);
  });

  it('tells leaves from branches', () => {
    expect(isLeafCategory({ code: 'complaint.quality.leakage' })).toBe(true);
    expect(isLeafCategory({ code: 'complaint.quality' })).toBe(false);
  });

  it('matches a branch on whole segments only', () => {
    expect(isWithinCategory({ code: 'complaint.quality.leakage', prefix: 'complaint.quality' })).toBe(true);
    expect(isWithinCategory({ code: 'complaint.quality', prefix: 'complaint.quality' })).toBe(true);
    expect(isWithinCategory({ code: 'complaint.qualityx.leakage', prefix: 'complaint.quality' })).toBe(false);
    expect(isWithinCategory({ code: 'complaint', prefix: 'complaint.quality' })).toBe(false);
    expect(isWithinCategory({ code: 'repair.plumbing', prefix: '' })).toBe(true);
  });

  it('accepts only lower-case dotted codes', () => {
    expect(isCategoryCode('complaint.quality.leakage')).toBe(true);
    expect(isCategoryCode('complaint.')).toBe(false);
    expect(isCategoryCode('Complaint')).toBe(false);
    expect(isCategoryCode('complaint..leakage')).toBe(false);
  });

  it('ships a default tree that passes its own validation', () => {
    const parsed = parseCategories(DEFAULT_CATEGORIES);
    expect(parsed.ok).toBe(true);
  });

  it('rejects a tree whose parents and codes disagree, with paths', () => {
    const parsed = parseCategories([
      { code: 'complaint', name: { zh: '投诉', en: 'Complaint' } },
      { code: 'complaint.quality', name: { zh: '质量', en: 'Quality' }, parent: 'repair' },
      { code: 'repair.plumbing', name: { zh: '给排水', en: 'Plumbing' } },
      { code: 'complaint', name: { zh: '投诉', en: 'Complaint' } },
      { code: 'Bad Code', name: { zh: 'x', en: 'x' } },
      { code: 'enquiry', name: { zh: '', en: 'Enquiry' } },
    ]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toEqual(['1.parent', '2.parent', '3.code', '4.code', '5.name.zh']);
  });
});
