import { Hono } from 'hono';
import { STATUS } from '../../shared/schemas/status.ts';
import { issueActivationCode } from '../auth/activation.ts';
import { canAccessRetiree } from '../auth/access.ts';
import type { AppEnv } from '../context.ts';
import { reply } from '../http/reply.ts';
import { AppError, notFound } from '../errors.ts';
import { idParam } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { requireUser } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { retireeById, type Retiree } from '../store/retirees.ts';
import { retireeStatus } from '../store/status.ts';
import { retireeUserById } from '../store/users.ts';
import { maskIdNumber } from './me.ts';
import type { Context } from 'hono';

/** The retiree behind :id if this user may see them; 404 otherwise, whether or not it exists. */
async function accessibleRetiree(c: Context<AppEnv>): Promise<Retiree> {
  const { user } = requireUser(c);
  const { db } = c.get('services');
  const id = idParam(c, 'id');
  if (!(await canAccessRetiree(db, user, id))) throw notFound('Retiree');
  const retiree = await retireeById(db, id);
  if (!retiree) throw notFound('Retiree');
  return retiree;
}

export function retireeRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:id', async (c) => {
    const r = await accessibleRetiree(c);
    const role = c.get('auth')!.user.role;
    // Family members see a masked ID number; staff and the retiree see it whole.
    const idNumber = role === 'family' ? maskIdNumber(r.idNumber) : r.idNumber;
    const staff = role === 'worker' || role === 'admin';
    return reply(c, STATUS.retiree, {
      id: r.id,
      name: r.name,
      idNumber,
      communityName: r.communityName,
      pensionCategory: r.pensionCategory,
      enrolment: r.enrolment,
      ...(staff ? { address: r.address, phone: r.phone, enrolledOn: r.enrolledOn } : {}),
    });
  });

  app.get('/:id/status', async (c) => {
    const r = await accessibleRetiree(c);
    const { db, now } = c.get('services');
    return reply(c, STATUS.ofRetiree, await retireeStatus(db, r, now()));
  });

  // A worker on a home visit or the office issues the one-time code that lets a retiree choose a
  // PIN. For an account already in use (it has a PIN) the code resets the PIN and signs the retiree
  // out everywhere: only the office may issue that one (issue 15, decision 051), and it is audited
  // apart, refusals too, so a worker trying it shows in the log.
  app.post('/:id/activation-codes', limitBody(256), async (c) => {
    const { user } = requireUser(c, 'worker', 'admin');
    const r = await accessibleRetiree(c);
    const { db, now } = c.get('services');
    const at = now();
    const reactivation = !!(await retireeUserById(db, r.id))?.password_hash;
    if (reactivation && user.role !== 'admin') {
      await audit(db, at, { event: 'reactivation_refused', userId: user.id, subject: `retiree:${r.id}`, ip: c.get('ip') });
      throw new AppError(403, 'reactivation_needs_office', 'This retiree already has a PIN: only the social-security office can issue a code that resets it');
    }
    const issued = await issueActivationCode(db, r.id, user.id, at);
    await audit(db, at, { event: reactivation ? 'reactivation_code_issued' : 'activation_code_issued', userId: user.id, subject: `retiree:${r.id}`, ip: c.get('ip') });
    return reply(c, STATUS.issueActivationCode, { code: issued.code, expiresAt: issued.expiresAt, reactivation }, 201);
  });

  return app;
}
