// Retirees read by the hundred (a worker's roster, the changes since a pull's cursor), by lists of
// ids in chunks; one at a time they come from retirees.ts.
import { inChunks } from '../db/in-chunks.ts';
import type { Db } from '../db/sqlite.ts';

/** What a roster entry shows of a retiree, with the community's and region's office phones and the region's time zone. */
export interface RosterRow {
  id: number;
  id_number: string;
  name: string;
  address: string;
  phone: string | null;
  notes: string | null;
  enrolled_on: string;
  community_name: string;
  community_phone: string | null;
  region_id: number;
  time_zone: string;
  region_phone: string | null;
}

export async function rosterRows(db: Db, retireeIds: readonly number[]): Promise<RosterRow[]> {
  return inChunks<RosterRow>(
    db,
    retireeIds,
    (m) => `SELECT r.id, r.id_number, r.name, r.address, r.phone, r.notes, r.enrolled_on, c.name AS community_name, c.office_phone AS community_phone,
                   c.region_id, g.time_zone, g.office_phone AS region_phone
              FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id
             WHERE r.id IN (${m}) ORDER BY r.id`,
  );
}

/** Every retiree of these communities, on the rolls or not, by id. */
export async function retireeIdsInCommunities(db: Db, communityIds: readonly number[]): Promise<number[]> {
  return (await inChunks<{ id: number }>(db, communityIds, (m) => `SELECT id FROM retirees WHERE community_id IN (${m})`)).map((r) => r.id);
}

/** The community each of these retirees is in now; an id that names no retiree is missing. */
export async function communitiesOfRetirees(db: Db, retireeIds: readonly number[]): Promise<Map<number, number>> {
  return new Map((await inChunks<{ id: number; community_id: number }>(db, retireeIds, (m) => `SELECT id, community_id FROM retirees WHERE id IN (${m})`)).map((r) => [r.id, r.community_id]));
}
