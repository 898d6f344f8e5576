/**
 * Calendar days and instants in China time. China keeps one zone, UTC+8, without daylight saving
 * since 1991, so a fixed offset is exact for every date the service handles (today, due dates,
 * report years) and needs no time-zone database. Pure, with nothing Node-only: the console
 * bundles it too.
 */

/** The IANA name, for formatting with Intl and for settings that take a zone. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const OFFSET_MS = 8 * 3_600_000;

/** The calendar day in China (`YYYY-MM-DD`) of an instant (a Date or epoch ms); now by default. */
export function chinaDay(at: Date | number = new Date()): string {
  return new Date(+at + OFFSET_MS).toISOString().slice(0, 10);
}

/** The year in China of an instant; now by default. */
export function chinaYear(at: Date | number = new Date()): number {
  return Number(chinaDay(at).slice(0, 4));
}

/**
 * The instant a China calendar day (`YYYY-MM-DD`) reaches `time` (`HH:mm`, midnight by default).
 * An invalid day gives an invalid Date (`getTime()` is NaN), as `new Date('…')` does.
 */
export function chinaTime(day: string, time = '00:00'): Date {
  return new Date(`${day}T${time}:00+08:00`);
}

/** 1 January of `year` to 1 January of the next, China time, as bounds [from, to). */
export function chinaYearBounds(year: number): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(year, 0, 1) - OFFSET_MS),
    to: new Date(Date.UTC(year + 1, 0, 1) - OFFSET_MS),
  };
}
