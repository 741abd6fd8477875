// A retiree's certifications by year, for the History screen (the retiree, or a linked family
// member; staff with access too): GET /api/certifications?retireeId=N → {years: [...]}, newest
// first. Only what the person needs: the year, whether it counts, how and when.
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { accessibleRetireeQuery } from '../http/retiree-query.ts';

export interface YearCertification {
  year: number;
  status: 'approved' | 'pending_review' | 'rejected';
  method: 'self' | 'family' | 'worker' | 'on_site' | 'home_visit';
  certifiedOn: string;
}

export function certificationRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const retireeId = await accessibleRetireeQuery(c);
    const { db } = c.get('services');
    const years = await db.all<YearCertification>(
      `SELECT p.year, c.status, c.method, c.certified_on AS "certifiedOn"
         FROM certifications c JOIN certification_periods p ON p.id = c.period_id
        WHERE c.retiree_id = ? ORDER BY p.year DESC, c.certified_at DESC`,
      [retireeId],
    );
    return c.json({ years });
  });
  return app;
}
