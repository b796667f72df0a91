/**
 * A date and time entered and shown as the wall clock of a named time zone (a project's), whatever
 * the browser's own zone: antd's DatePicker knows only the browser's zone, so the instant is turned
 * into that zone's wall time for it (luxon) and the wall time picked back into an instant of that
 * zone, sent as ISO with the zone's offset ("2026-12-04T09:30:00+08:00").
 */
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { DateTime } from 'luxon';

/** An instant as the wall-clock time of `zone`, for a picker that only knows the browser's zone; null when absent or invalid. */
export function instantToWallTime(iso: string | undefined | null, zone: string): Dayjs | null {
  if (!iso) return null;
  const at = DateTime.fromISO(iso, { setZone: true }).setZone(zone);
  return at.isValid ? dayjs(at.toFormat("yyyy-MM-dd'T'HH:mm:ss")) : null;
}

/** A wall-clock time picked in `zone` as an ISO instant with that zone's offset; undefined when none. */
export function wallTimeToInstant(wall: Dayjs | null | undefined, zone: string): string | undefined {
  if (!wall || !wall.isValid()) return undefined;
  const at = DateTime.fromObject({ year: wall.year(), month: wall.month() + 1, day: wall.date(), hour: wall.hour(), minute: wall.minute() }, { zone });
  return at.isValid ? (at.toISO({ suppressMilliseconds: true }) ?? undefined) : undefined;
}

/** The zone as people read it next to a time: "Asia/Shanghai (UTC+08:00)". */
export function zoneLabel(zone: string): string {
  return `${zone} (UTC${DateTime.now().setZone(zone).toFormat('ZZ')})`;
}

export function ZonedDateTimePicker({
  id,
  zone,
  value,
  onChange,
  onBlur,
  label,
  placeholder,
  invalid,
  testId,
}: {
  id: string;
  zone: string;
  /** An ISO instant (any offset), or undefined for none. */
  value: string | undefined;
  onChange: (iso: string | undefined) => void;
  onBlur?: () => void;
  /** The accessible name (the field's label). */
  label: string;
  placeholder?: string;
  invalid?: boolean;
  testId?: string;
}) {
  return (
    <DatePicker
      id={id}
      data-testid={testId}
      data-value={value ?? ''}
      data-zone={zone}
      value={instantToWallTime(value, zone)}
      onChange={(wall) => onChange(wallTimeToInstant(wall, zone))}
      onBlur={onBlur}
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      // Typed or picked, the time counts as soon as it is complete: no extra OK click.
      needConfirm={false}
      placeholder={placeholder}
      status={invalid ? 'error' : undefined}
      aria-label={label}
      style={{ width: '100%' }}
    />
  );
}
