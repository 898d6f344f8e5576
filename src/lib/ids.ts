import { z } from './zod.js';

/** A MongoDB ObjectId in its 24-hex-digit form, as every `id` path parameter carries it. */
export const objectIdSchema = z
  .string()
  .regex(/^[0-9a-f]{24}$/, 'must be a 24-character hexadecimal id')
  .openapi({ example: '665f1c2e9b1d8a0012345678' });

export const idParams = z.object({ id: objectIdSchema }).strict();
