// /api/sync: push attempts, pull status/roster changes, fetch challenge tokens. Wire format in
// shared/sync.ts; the why in docs/sync.md and docs/decisions/010-016.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { ChallengeRequest, PullRequest, PushRequest, SYNC_LIMITS, type PushResponse } from '../../shared/sync.ts';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';
import { readJson, validate } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { requireUser, sessionEndedError } from '../middleware/session.ts';
import type { IngestQueue } from '../sync/ingest.ts';
import { reserveQuota } from '../sync/push-quota.ts';
import { prepareItems } from '../sync/prepare.ts';
import { signaturePublicKey } from '../sync/signature.ts';
import { issueChallenges, signingSecret } from '../sync/tokens.ts';
import { signaturePasswordCheck } from '../store/visits.ts';

type Ctx = Context<AppEnv>;

/** The signed-in phone user and the device their session is bound to. */
function syncUser(c: Ctx) {
  const auth = requireUser(c, 'retiree', 'family', 'worker');
  if (!auth.session.deviceId) throw new AppError(400, 'device_required', 'Sign in again from the app: this session is not bound to a device');
  return { auth, user: auth.user, deviceId: auth.session.deviceId };
}

/**
 * A push re-checks its session inside the group commit that writes it (ingest.ts), a pull on the
 * pull thread before its reads (pull.ts), so loadSession may take a kept session for them without
 * a read of its own: on a busy server that read costs a request a turn or two of the event loop
 * (decisions 046, 053).
 */
export const syncRechecksSession = (c: Context) => c.req.method === 'POST' && (c.req.path === '/api/sync/push' || c.req.path === '/api/sync/pull');

/** JSON body, or multipart/form-data with the JSON in `batch` and one binary part per blob. */
async function readPush(c: Ctx): Promise<{ items: unknown[]; parts: Map<string, Uint8Array> }> {
  const type = c.req.header('content-type') ?? '';
  if (/^multipart\/form-data\b/i.test(type)) {
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw new AppError(400, 'bad_request', 'The multipart body could not be read');
    }
    const batch = form.get('batch');
    if (typeof batch !== 'string') throw new AppError(400, 'validation_failed', 'batch: the JSON part is missing');
    let json: unknown;
    try {
      json = JSON.parse(batch);
    } catch {
      throw new AppError(400, 'malformed_json', 'batch is not valid JSON');
    }
    const parts = new Map<string, Uint8Array>();
    for (const [name, value] of form.entries()) {
      if (name !== 'batch' && typeof value !== 'string') parts.set(name, new Uint8Array(await value.arrayBuffer()));
    }
    return { items: validate(PushRequest, json).items, parts };
  }
  return { items: (await readJson(c, PushRequest)).items, parts: new Map() };
}

export function syncRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/push', limitBody(SYNC_LIMITS.maxBodyBytes), async (c) => {
    const { auth, user, deviceId } = syncUser(c);
    const { db, now, config } = c.get('services');
    const receivedAt = now();
    const { items, parts } = await readPush(c);
    const secret = await signingSecret(db);
    const verifyPassword = user.role === 'worker' ? signaturePasswordCheck(c, user) : undefined;
    const prepared = await prepareItems({ db, user, deviceId, receivedAt, secret, parts, ...(verifyPassword ? { verifyPassword } : {}) }, items);
    // Today's quota is taken before anything is written; what the commit did not store is given back.
    const quota = await reserveQuota({ db, user, deviceId, receivedAt, timeZone: config.timeZone, quota: config.pushQuota }, prepared);
    let submitted: Awaited<ReturnType<IngestQueue['submit']>>;
    try {
      submitted = await c.get('services').ingest.submit({ userId: user.id, deviceId, receivedAt, items: quota.items, auth });
    } catch (err) {
      quota.release();
      throw err;
    }
    quota.settle(submitted.results);
    const { results, lastSeq } = submitted;
    const body: PushResponse = { results, lastSeq, serverTime: now(), ...(quota.retryAt !== null ? { retryAt: quota.retryAt } : {}) };
    return c.json(body);
  });

  // A worker's full roster is thousands of entries of repetitive JSON: gzip makes it many times smaller,
  // which is what makes the first pull bearable on a 3G link (docs/benchmarks.md, "roster").
  // Room for the attempt ids whose outcome the phone asks for (up to 20 × 38 bytes).
  // The reads run on the pull thread in the server (decision 053): under push load, each read's
  // answer waited for a turn of this thread's busy event loop, and pulls fell far behind pushes.
  app.post('/pull', limitBody(2048), compress(), async (c) => {
    const { auth, user, deviceId } = syncUser(c);
    const input = await readJson(c, PullRequest);
    const { db, now, config } = c.get('services');
    const body = await c.get('services').pulls.answer({
      user,
      session: auth.session,
      deviceId,
      cursor: input.cursor,
      wantChallenges: input.wantChallenges,
      attempts: input.attempts,
      now: now(),
      timeZone: config.timeZone,
      secret: await signingSecret(db),
      signatureKey: user.role === 'worker' ? await signaturePublicKey(db) : null,
    });
    // The session ended after it was kept: the full check forgets it and says why (a PIN reset).
    if (body === null) throw await sessionEndedError(c);
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });

  app.post('/challenges', limitBody(256), async (c) => {
    const { user, deviceId } = syncUser(c);
    const { count } = await readJson(c, ChallengeRequest);
    const { db, now } = c.get('services');
    return c.json({ challenges: await issueChallenges(db, user.id, deviceId, count, now()) });
  });

  return app;
}
