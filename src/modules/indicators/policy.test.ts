import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../platform/audit.js';
import { assertCanWriteObservations, canImport, canManageReferenceData } from './policy.js';
import { systemActor } from '../../platform/audit.js';

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
  it('keeps reference data to platform admins (uploads to their owner: imports/policy.test.ts)', () => {
    assert.equal(canManageReferenceData(actor({ orgRoles: new Map([['o1', 'admin']]) })), false);
    assert.equal(canManageReferenceData(actor({ isPlatformAdmin: true })), true);
  });
  it('lets people who may import, and the system, write observations; nobody else', () => {
    assert.throws(() => assertCanWriteObservations(actor({ userId: null })), { code: 'unauthenticated' });
    assert.throws(() => assertCanWriteObservations(actor({ orgRoles: new Map([['o1', 'member']]) })), { code: 'forbidden' });
    assert.doesNotThrow(() => assertCanWriteObservations(actor({ orgRoles: new Map([['o1', 'editor']]) })));
    assert.doesNotThrow(() => assertCanWriteObservations(systemActor('cli')));
  });
});
