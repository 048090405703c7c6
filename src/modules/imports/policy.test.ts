import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../platform/audit.js';
import { canChangeMapping, canUseUpload } from './policy.js';

const actor = (o: Partial<Actor>): Actor => ({ userId: 'u1', label: 'x', isPlatformAdmin: false, orgRoles: new Map(), ...o });

describe('import flow policy', () => {
  it('keeps uploads to their owner', () => {
    assert.equal(canUseUpload(actor({ userId: 'u2', orgRoles: new Map([['o1', 'editor']]) }), { user_id: 'u1' }), false);
    assert.equal(canUseUpload(actor({ userId: 'u1' }), { user_id: 'u1' }), true);
  });
  it('lets the one who saved a mapping, or a platform admin, change it', () => {
    const editor = (userId: string) => actor({ userId, orgRoles: new Map([['o1', 'editor']]) });
    assert.equal(canChangeMapping(editor('u1'), { created_by: 'u1' }), true);
    assert.equal(canChangeMapping(editor('u2'), { created_by: 'u1' }), false);
    assert.equal(canChangeMapping(actor({ userId: 'u1' }), { created_by: 'u1' }), false);
    assert.equal(canChangeMapping(actor({ userId: 'u3', isPlatformAdmin: true }), { created_by: 'u1' }), true);
  });
});
