/**
 * A unit by building then room (antd Cascader), searchable as people say it: "1-302", "1栋 302",
 * "302". Shared by the case intake and the sales forms (new sale, unit change); the words around it
 * (placeholder, label) are the caller's, from its own catalogue.
 */
import { Cascader } from 'antd';
import type { Unit } from '../api.js';

interface Option {
  value: string;
  label: string;
  children?: Option[];
}

function byBuilding(units: readonly Unit[], roomLabel: (u: Unit) => string): Option[] {
  const buildings = new Map<string, Option>();
  for (const u of units) {
    let b = buildings.get(u.buildingId);
    if (!b) {
      b = { value: u.buildingId, label: u.buildingName, children: [] };
      buildings.set(u.buildingId, b);
    }
    b.children!.push({ value: u.id, label: roomLabel(u) });
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  const list = [...buildings.values()].sort((a, b) => collator.compare(a.label, b.label));
  for (const b of list) b.children!.sort((x, y) => collator.compare(x.label, y.label));
  return list;
}

/** Every token typed ("1", "302") appears in the building or the room, in that order of the path. */
export function unitMatches(input: string, labels: readonly string[]): boolean {
  const tokens = input
    .toLowerCase()
    .replace(/[栋幢座号楼单元室#\-–—_/·,，\s]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const text = labels.map((l) => l.toLowerCase());
  if (tokens.length === 0) return true;
  if (tokens.length === 1) return text.some((l) => l.includes(tokens[0]!));
  const [building, ...rest] = tokens;
  return (text[0] ?? '').includes(building!) && rest.every((tok) => (text[1] ?? '').includes(tok));
}

export function UnitPicker({
  id,
  units,
  value,
  onChange,
  onBlur,
  disabled,
  loading,
  placeholder,
  label,
  invalid,
  roomLabel = (u) => u.number,
  testId = 'unit-picker',
}: {
  id?: string;
  units: readonly Unit[];
  value: string | undefined;
  onChange: (unitId: string | undefined) => void;
  onBlur?: () => void;
  disabled?: boolean;
  loading?: boolean;
  placeholder: string;
  /** The accessible name (the field's label). */
  label: string;
  invalid?: boolean;
  /** The room's words in the list (the case intake: the number; a sale adds the area). */
  roomLabel?: (u: Unit) => string;
  testId?: string;
}) {
  const unit = value ? units.find((u) => u.id === value) : undefined;
  return (
    <Cascader
      id={id}
      data-testid={testId}
      options={byBuilding(units, roomLabel)}
      value={unit ? [unit.buildingId, unit.id] : []}
      onChange={(path) => onChange(path && path.length === 2 ? String(path[1]) : undefined)}
      onBlur={onBlur}
      showSearch={{ filter: (input, path) => unitMatches(input, path.map((o) => String(o.label))) }}
      placeholder={placeholder}
      disabled={disabled}
      loading={loading}
      status={invalid ? 'error' : undefined}
      allowClear
      style={{ width: '100%' }}
      aria-label={label}
    />
  );
}
