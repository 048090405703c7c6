import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../platform/audit.js';
import { canImport, canManageReferenceData, canUseUpload } from './policy.js';

const actor = (o: Partial<Actor>): Actor => ({ userId: 'u1', label: 'x', isPlatformAdmin: false, orgRoles: new Map(), ...o });

describe('indicator import policy', () => {
  it('denies anonymous users, plain users and members', () => {
    assert.equal(canImport(actor({ userId: null })), false);
    assert.equal(canImport(actor({})), false);
    assert.equal(canImport(actor({ orgRoles: new Map([['o1', 'member']]) })), false);
  });
  it('allows platform admins and editors or admins of any organisation', () => {
    assert.equal(canImport(actor({ isPlatformAdmin: true })), true);
    assert.equal(canImport(actor({ orgRoles: new Map([['o1', 'member'], ['o2', 'editor']]) })), true);
    assert.equal(canImport(actor({ orgRoles: new Map([['o1', 'admin']]) })), true);
  });
  it('keeps reference data to platform admins and uploads to their owner', () => {
    assert.equal(canManageReferenceData(actor({ orgRoles: new Map([['o1', 'admin']]) })), false);
    assert.equal(canManageReferenceData(actor({ isPlatformAdmin: true })), true);
    assert.equal(canUseUpload(actor({ userId: 'u2', orgRoles: new Map([['o1', 'editor']]) }), { user_id: 'u1' }), false);
    assert.equal(canUseUpload(actor({ userId: 'u1' }), { user_id: 'u1' }), true);
  });
});
