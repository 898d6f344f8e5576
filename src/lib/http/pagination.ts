import { type Model, Types } from 'mongoose';
import { trustedFilter } from '../db/index.js';
import { AppError } from '../errors.js';
import { z } from '../zod.js';

/**
 * Cursor pagination over a sort on one field plus `_id` as tie-breaker. The cursor is opaque to
 * clients (base64url JSON of the last item's sort value and id), so a page stays stable while
 * records are added, unlike skip/offset.
 */
export interface SortSpec {
  field: string;
  direction: 1 | -1;
}

type CursorValue = string | number | boolean | null | { $date: string };

interface Cursor {
  v: CursorValue;
  id: string;
}

/** The common list query: `limit`, `cursor`, `sort` (`field` or `-field`, from an allow-list). */
export function listQuerySchema<const F extends readonly [string, ...string[]]>(
  sortable: F,
  defaultSort: string,
) {
  const values = [...sortable, ...sortable.map((f) => `-${f}`)] as [string, ...string[]];
  return z.object({
    limit: z.coerce.number().int().min(1).max(200).default(20),
    cursor: z.string().max(500).optional(),
    sort: z.enum(values).default(defaultSort),
  });
}

export function parseSort(sort: string): SortSpec {
  return sort.startsWith('-') ? { field: sort.slice(1), direction: -1 } : { field: sort, direction: 1 };
}

function toCursorValue(v: unknown): CursorValue {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  return String(v);
}

function fromCursorValue(v: CursorValue): unknown {
  return v && typeof v === 'object' && '$date' in v ? new Date(v.$date) : v;
}

export function encodeCursor(doc: Record<string, unknown>, sort: SortSpec): string {
  const c: Cursor = { v: toCursorValue(doc[sort.field]), id: String(doc._id) };
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const cursorSchema = z.object({
  v: z.union([
    z.string().max(200),
    z.number(),
    z.boolean(),
    z.null(),
    z.object({ $date: z.iso.datetime() }).strict(),
  ]),
  id: z.string().regex(/^[0-9a-f]{24}$/),
});

export function decodeCursor(cursor: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))) as Cursor;
  } catch {
    throw new AppError('validation_failed', {
      detail: 'cursor 无效',
      detailEn: 'cursor is not valid',
      issues: [
        { path: 'query.cursor', code: 'invalid_cursor', message: 'not a cursor returned by this list' },
      ],
    });
  }
}

/** The filter selecting records after the cursor in sort order. */
export function afterCursor(cursor: Cursor, sort: SortSpec): Record<string, unknown> {
  const op = sort.direction === 1 ? '$gt' : '$lt';
  const v = fromCursorValue(cursor.v);
  const id = new Types.ObjectId(cursor.id);
  return {
    $or: [{ [sort.field]: { [op]: v } }, { [sort.field]: v, _id: { [op]: id } }],
  };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

/**
 * One page of `model` matching `filter` (already scoped and validated by the caller), mapped to
 * plain objects by `map`. `total` counts every match, not just the page.
 */
export async function paginate<T>(
  // biome-ignore lint/suspicious/noExplicitAny: works with any mongoose model's lean documents
  model: Model<any>,
  filter: Record<string, unknown>,
  opts: { sort: string; cursor?: string; limit: number; projection?: Record<string, 0 | 1> },
  map: (doc: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const sort = parseSort(opts.sort);
  const pageFilter = opts.cursor ? { $and: [filter, afterCursor(decodeCursor(opts.cursor), sort)] } : filter;
  const [docs, total] = await Promise.all([
    model
      .find(trustedFilter(pageFilter), opts.projection)
      .sort({ [sort.field]: sort.direction, _id: sort.direction })
      .limit(opts.limit + 1)
      .lean<Record<string, unknown>[]>(),
    model.countDocuments(trustedFilter(filter)),
  ]);
  const page = docs.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    items: page.map(map),
    nextCursor: docs.length > opts.limit && last ? encodeCursor(last, sort) : null,
    total,
  };
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });
}
