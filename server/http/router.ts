import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiBindings } from './client.ts';
import { problem } from './problem.ts';

export type Env = { Bindings: ApiBindings; Variables: { requestId: string } };

// Validation messages in French for every schema.
z.config(z.locales.fr());

type ValidationResult =
  | { success: true }
  | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

/** Invalid input → 422 problem+json listing each invalid field, never a 500. */
function validationHook(result: ValidationResult, c: Context): Response | undefined {
  if (result.success) return undefined;
  const errors = result.error.issues.map((i) => ({
    field: i.path.map(String).join('.'),
    message: i.message,
  }));
  return problem(
    c,
    'VALIDATION_FAILED',
    errors.map((e) => (e.field ? `${e.field} : ${e.message}` : e.message)).join(' ; '),
    {
      errors,
    },
  );
}

/** A router whose validators answer in the house style; every resource mounts one. */
export function router<E extends Env = Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook: validationHook });
}
