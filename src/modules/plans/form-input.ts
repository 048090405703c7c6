/**
 * What the plan, action and priority pages share: their route schemas, reading a form's body,
 * the values an edit form starts from, and the organisations an actor may write for.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/audit.js';
import type { AppDeps } from '../../platform/http.js';
import { directory } from '../directory/index.js';
import { canManage } from './policy.js';
import type { IndicatorTargetSource, PriorityView } from './queries.js';
import type { ActionRow, PlanRow } from './schema.js';

/** What the plans module's page plugin receives: `indicatorTargets` from the progress module, where it exists. */
export type PageDeps = AppDeps & { indicatorTargets?: IndicatorTargetSource };

export const Id = z.object({ id: z.string().min(1).max(100) });
export const Slug = z.object({ slug: z.string().min(1).max(200) });
export const Form = z.record(z.string(), z.unknown());
export const hide = { hide: true } as const;

/** A form body with lists kept (multi-selects, checkboxes) and the CSRF field dropped. */
export function rawBody(req: FastifyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (k !== '_csrf') out[k] = v;
  return out;
}
/** The same body as form values for re-rendering: lists joined with commas. */
export const asValues = (raw: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v == null ? '' : String(v)]));

/** Organisations the actor may write for (all for platform admins). */
export async function managedOrganisations(db: AppDeps['db'], actor: Actor) {
  const all = await directory.organisationOptions(db.orm);
  if (actor.isPlatformAdmin) return all;
  const out = [];
  for (const o of all) if (actor.orgRoles.has(o.id) && (await canManage(db.orm, actor, o.id))) out.push(o);
  return out;
}

export const planValues = (p: PlanRow): Record<string, string> => ({
  organisationId: p.organisationId, title: p.title, lang: p.lang, description: p.description, periodStart: p.periodStart ?? '', periodEnd: p.periodEnd ?? '',
  state: p.state, adoptedItemId: p.adoptedItemId ?? '', adoptedOn: p.adoptedOn ?? '', decisionNote: p.decisionNote, parentId: p.parentId ?? '',
  documents: p.documents.map((d) => `${d.title} | ${d.url}`).join('\n'),
});

export const actionValues = (a: ActionRow): Record<string, string> => ({
  identifier: a.identifier, title: a.title, lang: a.lang, description: a.description, primaryOrgId: a.primaryOrgId, collaboratorIds: a.collaboratorIds.join(','),
  contactIds: a.contactIds.join(','), startDate: a.startDate ?? '', endDate: a.endDate ?? '',
  milestones: a.milestones.map((m) => [m.due, m.title, m.completedOn ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
  sdgTargets: a.sdgTargets.join(', '), indicators: a.indicators.map((i) => `${i.code} | ${i.direction}`).join('\n'), currency: a.currency ?? '',
  budget: a.budget.map((b) => `${b.year} | ${b.amount}`).join('\n'), manualStatus: a.manualStatus ?? '', manualReason: a.manualReason ?? '',
});

/** A priority's form values; its actors named by their organisation's slug (`slugs`), those from a challenge left out. */
export const priorityValues = (p: PriorityView, slugs: Map<string, string>): Record<string, string> => ({
  title: p.title, lang: p.lang, rationale: p.rationale, sdgGoals: p.sdgGoals.join(', '), sdgTargets: p.sdgTargets.join(', '), indicatorCodes: p.indicatorCodes.join(','),
  actors: p.actors.filter((a) => !a.challengeId).map((a) => [slugs.get(a.organisationId) ?? a.organisationId, a.role, a.contact ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'), state: p.state,
});

/**
 * A new action may start from a challenge whose response was accepted: the challenge page sends
 * its title, targets, indicator and the partner along, to be checked and completed here.
 */
export const Prefill = z.object({
  title: z.string().max(300).optional(), description: z.string().max(5000).optional(), sdgTargets: z.string().max(1000).optional(),
  indicator: z.string().max(200).optional(), collaboratorIds: z.string().max(2000).optional(), lang: z.enum(['sv', 'nb', 'da', 'en']).optional(),
});
