// A community with a worker and N retirees in the demo region, for the worker tests, the e2e proof
// and `npm run bench -- roster` (5,000 retirees). Never part of the demo seed: the demo stays small.
import { idCheckChar } from '../../shared/id-number.ts';
import type { PasswordHasher } from '../auth/password.ts';
import type { Db } from '../db/sqlite.ts';
import { createCommunity } from '../store/regions.ts';
import { assignWorker, createStaffUser, userByUsername } from '../store/users.ts';
import { insertRetiree } from '../store/retirees.ts';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = ['桂兰', '建国', '秀英', '德明', '淑珍', '玉兰', '国强', '凤英', '志华', '丽华', '文斌', '春梅', '振华', '秀兰', '海燕', '宝山', '长青', '金凤', '树林', '月娥'];

export interface FixtureRetiree {
  id: number;
  idNumber: string;
  name: string;
  address: string;
}

export interface WorkerFixture {
  communityId: number;
  communityName: string;
  workerId: number;
  username: string;
  password: string;
  retirees: FixtureRetiree[];
}

/** A valid ID number (GB 11643 check character) that no demo retiree has: sequence 500–999. */
export function fixtureIdNumber(i: number, area = '110199'): string {
  const year = 1940 + (i % 20);
  const month = 1 + (i % 12);
  const day = 1 + (i % 28);
  const first17 = `${area}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${500 + (i % 500)}`;
  return first17 + idCheckChar(first17);
}

/**
 * Creates (or reuses) `username` as a worker assigned to a new community `communityName` in region
 * 110199 with `count` retirees. Retiree names and addresses vary so search has something to do.
 */
export async function addWorkerFixture(
  db: Db,
  passwords: PasswordHasher,
  at: number,
  opts: { username: string; password: string; displayName?: string; communityName: string; count: number; offset?: number },
): Promise<WorkerFixture> {
  const offset = opts.offset ?? 0;
  return db.transaction(async () => {
    const community = await createCommunity(db, { regionCode: '110199', name: opts.communityName });
    const worker =
      (await userByUsername(db, opts.username)) ??
      (await createStaffUser(db, passwords, { role: 'worker', username: opts.username, password: opts.password, displayName: opts.displayName ?? opts.username }, at));
    await assignWorker(db, worker.id, community.id, at);
    const retirees: FixtureRetiree[] = [];
    for (let i = 0; i < opts.count; i++) {
      const n = offset + i;
      const idNumber = fixtureIdNumber(n);
      const name = SURNAMES[n % SURNAMES.length]! + GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]!;
      const address = `${opts.communityName} ${1 + (n % 40)} 号楼 ${1 + (n % 4)} 单元 ${100 * (1 + (n % 18)) + 1 + (n % 4)}`;
      const phone = `138${String(10_000_000 + n).slice(-8)}`;
      const lastId = await insertRetiree(db, { idNumber, name, pensionCategory: 'urban_employee', address, phone, enrolledOn: '2010-01-01' }, community.id, at);
      retirees.push({ id: lastId, idNumber, name, address });
    }
    return { communityId: community.id, communityName: opts.communityName, workerId: worker.id, username: opts.username, password: opts.password, retirees };
  });
}
