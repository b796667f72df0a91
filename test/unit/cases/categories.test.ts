import { describe, expect, it } from 'vitest';
import {
  caseTypeOfCategory,
  categoriesOfType,
  categoryPath,
  categoryTree,
  isCategoryOfType,
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

describe('one case type drives the category tree', () => {
  it('files a category under the type its root is named after', () => {
    expect(caseTypeOfCategory('complaint.quality.leakage')).toBe('complaint');
    expect(caseTypeOfCategory('repair')).toBe('repair');
    expect(caseTypeOfCategory('enquiry.sales')).toBe('enquiry');
  });

  it('files a root named after no type (建议 suggestions, an administrator’s own) as an enquiry', () => {
    expect(caseTypeOfCategory('suggestion.layout')).toBe('enquiry');
    expect(caseTypeOfCategory('praise.staff')).toBe('enquiry');
  });

  it('refuses a complaint under 咨询/销售咨询 and an enquiry under 投诉', () => {
    expect(isCategoryOfType({ code: 'enquiry.sales', type: 'complaint' })).toBe(false);
    expect(isCategoryOfType({ code: 'complaint.quality.leakage', type: 'enquiry' })).toBe(false);
    expect(isCategoryOfType({ code: 'repair.plumbing.leak', type: 'complaint' })).toBe(false);
    expect(isCategoryOfType({ code: 'complaint.quality.leakage', type: 'complaint' })).toBe(true);
    expect(isCategoryOfType({ code: 'suggestion.facilities', type: 'enquiry' })).toBe(true);
    expect(isCategoryOfType({ code: 'complaint.nope', type: 'complaint' })).toBe(false);
  });

  it('offers each type its own branches only', () => {
    const roots = (type: 'complaint' | 'repair' | 'enquiry') => categoriesOfType({ type }).filter((c) => c.parent === undefined).map((c) => c.code);
    expect(roots('complaint')).toEqual(['complaint']);
    expect(roots('repair')).toEqual(['repair']);
    expect(roots('enquiry')).toEqual(['enquiry', 'suggestion']);
    const all = ['complaint', 'repair', 'enquiry'].flatMap((t) => categoriesOfType({ type: t as 'complaint' }).map((c) => c.code));
    expect(all.sort()).toEqual(DEFAULT_CATEGORIES.map((c) => c.code).sort());
  });

  it('offers the whole taxonomy to a type it has no branch of (a tree not organised by type)', () => {
    const categories = [
      { code: 'complaint', name: { zh: '投诉', en: 'Complaint' } },
      { code: 'complaint.noise', name: { zh: '噪音', en: 'Noise' }, parent: 'complaint' },
    ];
    expect(categoriesOfType({ type: 'repair', categories }).map((c) => c.code)).toEqual(['complaint', 'complaint.noise']);
    expect(isCategoryOfType({ code: 'complaint.noise', type: 'repair', categories })).toBe(true);
    expect(categoriesOfType({ type: 'complaint', categories })).toHaveLength(2);
  });

  it('builds the tree of a type with names, types and leaves, in the taxonomy’s order', () => {
    const [root, ...others] = categoryTree(categoriesOfType({ type: 'complaint' }));
    expect(others).toEqual([]);
    expect(root).toMatchObject({ code: 'complaint', name: { zh: '投诉', en: 'Complaint' }, caseType: 'complaint', leaf: false });
    expect(root!.children.map((c) => c.code)).toEqual(['complaint.quality', 'complaint.service', 'complaint.delivery', 'complaint.sales']);
    expect(root!.children[0]!.children[0]).toEqual({ code: 'complaint.quality.leakage', name: { zh: '渗漏', en: 'Leakage' }, caseType: 'complaint', leaf: true, children: [] });
    expect(categoryTree(categoriesOfType({ type: 'enquiry' })).map((n) => [n.code, n.caseType])).toEqual([
      ['enquiry', 'enquiry'],
      ['suggestion', 'enquiry'],
    ]);
  });
});
