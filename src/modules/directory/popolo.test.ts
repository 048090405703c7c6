import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers.js';

/*
 * The export is read back and checked against the field names of the Popolo
 * JSON schemas (popoloproject.com/schemas/*.json), written out here
 * independently of the exporter's own schema.
 */
const POPOLO_FIELDS: Record<string, string[]> = {
  persons: ['id', 'name', 'other_names', 'identifiers', 'family_name', 'given_name', 'additional_name', 'honorific_prefix', 'honorific_suffix', 'patronymic_name', 'sort_name', 'email', 'gender', 'birth_date', 'death_date', 'image', 'summary', 'biography', 'national_identity', 'contact_details', 'links', 'memberships', 'sources', 'created_at', 'updated_at'],
  organizations: ['id', 'name', 'other_names', 'identifiers', 'classification', 'parent_id', 'parent', 'area_id', 'area', 'abstract', 'description', 'founding_date', 'dissolution_date', 'image', 'contact_details', 'links', 'memberships', 'posts', 'motions', 'vote_events', 'votes', 'children', 'sources', 'created_at', 'updated_at'],
  memberships: ['id', 'label', 'role', 'member', 'person_id', 'person', 'organization_id', 'organization', 'post_id', 'post', 'on_behalf_of_id', 'on_behalf_of', 'area_id', 'area', 'start_date', 'end_date', 'contact_details', 'links', 'sources', 'created_at', 'updated_at'],
  posts: ['id', 'label', 'other_label', 'role', 'organization_id', 'organization', 'area_id', 'area', 'start_date', 'end_date', 'contact_details', 'links', 'memberships', 'sources', 'created_at', 'updated_at'],
  areas: ['id', 'identifier', 'classification', 'name', 'parent_id', 'parent', 'geometry', 'memberships', 'children', 'sources', 'created_at', 'updated_at'],
};
const DATE = /^[0-9]{4}((-[0-9]{2}){0,2}|-[0-9]{2}-[0-9]{2}T[0-9]{2}(:[0-9]{2}){0,2}(Z|[+-][0-9]{2}(:[0-9]{2})?))$/;

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

test('the Popolo export uses Popolo field names, resolves every reference, and carries the demo network', async () => {
  const res = await (await t.agent()).get('/api/export/popolo');
  assert.equal(res.statusCode, 200);
  const doc = JSON.parse(res.body);
  for (const [cls, allowed] of Object.entries(POPOLO_FIELDS)) {
    assert.ok(Array.isArray(doc[cls]), cls);
    for (const item of doc[cls]) {
      for (const key of Object.keys(item)) assert.ok(allowed.includes(key), `${cls}.${key} is not a Popolo field`);
      assert.equal(typeof item.id, 'string');
    }
  }
  const ids = (cls: string) => new Set(doc[cls].map((x: { id: string }) => x.id));
  const persons = ids('persons');
  const orgs = ids('organizations');
  const posts = ids('posts');
  const areas = ids('areas');
  for (const m of doc.memberships) {
    assert.ok(orgs.has(m.organization_id));
    if (m.person_id) assert.ok(persons.has(m.person_id));
    assert.ok(m.member['@type'] === 'Person' ? persons.has(m.member.id) : orgs.has(m.member.id));
    if (m.on_behalf_of_id) assert.ok(orgs.has(m.on_behalf_of_id));
    if (m.post_id) assert.ok(posts.has(m.post_id));
    for (const d of [m.start_date, m.end_date]) if (d) assert.match(d, DATE);
  }
  for (const o of doc.organizations) {
    if (o.parent_id) assert.ok(orgs.has(o.parent_id));
    if (o.area_id) assert.ok(areas.has(o.area_id));
  }
  const vaxjo = doc.organizations.find((o: any) => o.name === 'Växjö kommun');
  const cheryl = doc.persons.find((p: any) => p.name === 'Cheryl Jones Fur (MP)');
  const seat = doc.memberships.find((m: any) => m.person_id === cheryl.id);
  assert.equal(seat.on_behalf_of_id, vaxjo.id);
  assert.equal(seat.start_date, '2019-02');
  assert.equal(doc.areas.find((a: any) => a.id === vaxjo.area_id).identifier, 'se-0780');
});
