// Test helper for per-role route tests: one signed-in client per role and the demo retirees' ids.
import { DEMO } from '../seed/demo.ts';
import { retireeByIdNumber } from '../store/retirees.ts';
import { client, signIn, type Client, type TestApp } from '../test-support.ts';

export type Actor = 'anon' | 'retiree' | 'family' | 'worker' | 'admin';
export type DemoRetiree = 'open' | 'certified' | 'suspended';
export const ACTORS: readonly Actor[] = ['anon', 'retiree', 'family', 'worker', 'admin'];

/** `retiree` signs in as the given demo retiree (default: the one due now, linked to family.demo). */
export async function clientsByRole(t: TestApp, retiree: DemoRetiree = 'open'): Promise<Record<Actor, Client>> {
  const demo = { open: DEMO.retireeOpen, certified: DEMO.retireeCertified, suspended: DEMO.retireeSuspended }[retiree];
  return {
    anon: client(t),
    retiree: await signIn(t, { idNumber: demo.idNumber, pin: demo.pin }),
    family: await signIn(t, DEMO.family),
    worker: await signIn(t, DEMO.worker),
    admin: await signIn(t, DEMO.admin),
  };
}

export async function demoRetireeIds(t: TestApp): Promise<Record<DemoRetiree, number>> {
  const id = async (idNumber: string) => (await retireeByIdNumber(t.db, idNumber))!.id;
  return { open: await id(DEMO.retireeOpen.idNumber), certified: await id(DEMO.retireeCertified.idNumber), suspended: await id(DEMO.retireeSuspended.idNumber) };
}
