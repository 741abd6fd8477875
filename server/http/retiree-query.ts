// `?retireeId=N` on the retiree-facing read routes (consents, certifications): a positive integer,
// and a retiree this user may see (404 otherwise, like every object route).
import type { Context } from 'hono';
import { canAccessRetiree } from '../auth/access.ts';
import type { AppEnv } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { requireUser } from '../middleware/session.ts';

export async function accessibleRetireeQuery(c: Context<AppEnv>): Promise<number> {
  const { user } = requireUser(c);
  const raw = c.req.query('retireeId') ?? '';
  const retireeId = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(retireeId) || retireeId <= 0) throw new AppError(400, 'validation_failed', 'retireeId: give the retiree’s id as a positive integer');
  if (!(await canAccessRetiree(c.get('services').db, user, retireeId))) throw notFound('Retiree');
  return retireeId;
}
