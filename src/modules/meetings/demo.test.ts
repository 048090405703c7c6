import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../platform/db/index.js';
import { MemoryStorage } from '../../platform/storage/index.js';
import { directory, seedDirectoryDemo } from '../directory/index.js';
import { createTestDatabase, snapshot, testConfig } from '../../../test/helpers.js';
import { seedMeetingsDemo } from './demo.js';
import { listMeetings, publicMeetingView } from './queries.js';

/** The meetings demo on top of the project's own directory demo, as `npm start` loads it. */
let db: Database;
let drop: () => Promise<void>;
const storage = new MemoryStorage();
const TABLES = ['meetings', 'meeting_organisations', 'meeting_participants', 'agenda_items', 'cases', 'case_referrals', 'meeting_files', 'audit_events'];

before(async () => {
  // PGlite by default; a throw-away database on a real server when TEST_DATABASE_URL is set.
  ({ db, drop } = await createTestDatabase(testConfig()));
  await seedDirectoryDemo(db);
});
after(async () => drop?.());

test('the demo meetings load onto the directory demo, and loading again changes nothing', async () => {
  await seedMeetingsDemo(db, { storage });
  const first = await snapshot(db, TABLES);
  const files = storage.files.size;
  const again = await seedMeetingsDemo(db, { storage });
  assert.deepEqual(again.created, []);
  assert.deepEqual(await snapshot(db, TABLES), first);
  assert.equal(storage.files.size, files);
});

test('Herning’s committee holds the 27 April 2020 meeting and the working group its follow-up meeting', async () => {
  const oke = await directory.getOrganisation(db.orm, 'okonomi-og-erhvervsudvalget');
  const [m] = (await listMeetings(db.orm, { organisationIds: [oke.id] })).items;
  assert.ok(m);
  assert.equal(m.meeting.startsAt.toISOString(), '2020-04-27T13:00:00.000Z');
  const v = await publicMeetingView(db.orm, m.meeting);
  assert.deepEqual(v.items.map((i) => [i.number, i.isPublic]), [['139', true], ['140', false]]);
  const wg = await directory.getOrganisation(db.orm, 'miljostrategisk-arbetsgrupp');
  const [w] = (await listMeetings(db.orm, { organisationIds: [wg.id] })).items;
  assert.ok(w?.meeting.minutesPublishedAt);
});
