// /api/office/audit: the audit log in the office console (issue 16, decision 059). Office (admin)
// only; an office sees the entries of its region (migration 013 says which entries those are), one
// without a region sees them all. ID numbers are masked, as in every list.
import { Hono } from 'hono';
import { AUDIT, AuditQuery, type AuditEntryView, type AuditPage } from '../../shared/schemas/office-audit.ts';
import type { AppEnv } from '../context.ts';
import { reply } from '../http/reply.ts';
import { validate } from '../http/json.ts';
import { requireUser } from '../middleware/session.ts';
import { auditEntries, auditRetireeRef, auditUserRef, dayRange, regionTimeZone } from '../store/audit-query.ts';
import { maskIdNumber } from './me.ts';

/** Failed sign-ins and the CLI name a retiree by ID number in the subject. */
const maskSubject = (subject: string | null) => subject?.replace(/^retiree:(\d{17}[\dXx])$/, (_, id: string) => `retiree:${maskIdNumber(id)}`) ?? null;

const masked = (e: AuditEntryView): AuditEntryView => ({
  ...e,
  subject: maskSubject(e.subject),
  retiree: e.retiree && { ...e.retiree, idNumber: maskIdNumber(e.retiree.idNumber) },
});

export function officeAuditRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { db } = c.get('services');
    const q = validate(AuditQuery, c.req.query());
    const regionId = user.regionId;
    const timeZone = await regionTimeZone(db, regionId);
    const who = q.user ? ((await auditUserRef(db, regionId, q.user)) ?? null) : null;
    const retiree = q.retiree ? ((await auditRetireeRef(db, regionId, q.retiree)) ?? null) : null;
    let page: Pick<AuditPage, 'items' | 'next'> = { items: [], next: null };
    // A filter that names nobody finds nothing (not everything).
    if ((!q.user || who) && (!q.retiree || retiree)) {
      const [afterAt, afterId] = q.after ? q.after.split(':').map(Number) : [];
      page = await auditEntries(db, {
        regionId,
        userId: who?.id,
        retireeId: retiree?.id,
        event: q.event,
        ...dayRange(q, timeZone),
        after: q.after ? { at: afterAt!, id: afterId! } : undefined,
      });
    }
    const body: AuditPage = {
      items: page.items.map(masked),
      next: page.next,
      resolved: { user: who, retiree: retiree && { ...retiree, idNumber: maskIdNumber(retiree.idNumber) }, timeZone },
    };
    return reply(c, AUDIT.page, body);
  });

  return app;
}
