// Shared schema pieces: the error envelope (documented on every route) and common field types.
import { z } from 'zod';

export const errorEnvelope = z.looseObject({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    request_id: z.string().optional(),
  }),
});

/** `{ 400: envelope, 401: envelope, … }` for a route's response map (documentation + serialization). */
export function errors(...statuses: number[]): Record<number, typeof errorEnvelope> {
  return Object.fromEntries(statuses.map((s) => [s, errorEnvelope]));
}

/** A trimmed, non-blank string of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);
