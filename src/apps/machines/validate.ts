// Body validation inside a service, for routes whose checks must come after 404/403 (docs/apps/machines.md §3.8):
// zod issues become the same per-field rules as route-level validation.
import type { z } from 'zod';
import { AppError, type FieldErrors } from '../../core/errors.js';
import { fieldRuleOf } from '../../core/http/validation.js';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || 'non_field_errors';
    (fields[key] ??= []).push(fieldRuleOf(issue.message));
  }
  throw new AppError('VALIDATION_ERROR', 400, fields);
}
