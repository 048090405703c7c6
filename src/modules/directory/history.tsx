/**
 * The organisation history page speaks in sentences ("Anna Larsson added
 * Växjö kommun to ICLEI as Member") built from the audit rows, not in action
 * codes. Rows this module does not know (other modules write audit rows for
 * an organisation too) still read as a sentence with their summary.
 */
import type { Locale } from '../../web/i18n/index.js';
import { defineCatalog, formatDate } from '../../web/i18n/index.js';
import { roleLabel } from './i18n.js';
import { ROLES, type Role } from './schema.js';

export const hist = defineCatalog(
  {
    system: 'Samverka',
    created: (who: string, what: string) => `${who} created ${what}.`,
    childCreated: (who: string, what: string, org: string) => `${who} created ${what} as part of ${org}.`,
    updated: (who: string, org: string) => `${who} changed the details of ${org}.`,
    ended: (who: string, org: string, on: string) => (on ? `${who} recorded that ${org} ended on ${on}.` : `${who} recorded that ${org} has ended.`),
    added: (who: string, member: string, org: string, role: string) => `${who} added ${member} to ${org} as ${role}.`,
    membershipChanged: (who: string, org: string) => `${who} changed a membership in ${org}.`,
    membershipEnded: (who: string, member: string, org: string) => (member ? `${who} ended ${member}’s membership in ${org}.` : `${who} ended a membership in ${org}.`),
    signed: (who: string, org: string, what: string) => `${who} recorded that ${org} signed ${what}.`,
    withdrew: (who: string, org: string) => `${who} recorded that ${org} withdrew from a commitment.`,
    other: (who: string, what: string) => (what ? `${who} made a change: ${what}.` : `${who} made a change.`),
    changedFrom: (field: string, from: string, to: string) => `${field}: ${from} → ${to}`,
    empty: '(empty)',
  },
  {
    sv: {
      system: 'Samverka',
      created: (who: string, what: string) => `${who} skapade ${what}.`,
      childCreated: (who: string, what: string, org: string) => `${who} skapade ${what} inom ${org}.`,
      updated: (who: string, org: string) => `${who} ändrade uppgifterna om ${org}.`,
      ended: (who: string, org: string, on: string) => (on ? `${who} registrerade att ${org} upphörde den ${on}.` : `${who} registrerade att ${org} har upphört.`),
      added: (who: string, member: string, org: string, role: string) => `${who} lade till ${member} i ${org} som ${role.toLocaleLowerCase('sv')}.`,
      membershipChanged: (who: string, org: string) => `${who} ändrade ett medlemskap i ${org}.`,
      membershipEnded: (who: string, member: string, org: string) => (member ? `${who} avslutade medlemskapet för ${member} i ${org}.` : `${who} avslutade ett medlemskap i ${org}.`),
      signed: (who: string, org: string, what: string) => `${who} registrerade att ${org} undertecknat ${what}.`,
      withdrew: (who: string, org: string) => `${who} registrerade att ${org} drog sig ur ett åtagande.`,
      other: (who: string, what: string) => (what ? `${who} gjorde en ändring: ${what}.` : `${who} gjorde en ändring.`),
      changedFrom: (field: string, from: string, to: string) => `${field}: ${from} → ${to}`,
      empty: '(tomt)',
    },
    nb: {
      system: 'Samverka',
      created: (who: string, what: string) => `${who} opprettet ${what}.`,
      childCreated: (who: string, what: string, org: string) => `${who} opprettet ${what} under ${org}.`,
      updated: (who: string, org: string) => `${who} endret opplysningene om ${org}.`,
      ended: (who: string, org: string, on: string) => (on ? `${who} registrerte at ${org} ble avsluttet ${on}.` : `${who} registrerte at ${org} er avsluttet.`),
      added: (who: string, member: string, org: string, role: string) => `${who} la til ${member} i ${org} som ${role.toLocaleLowerCase('nb')}.`,
      membershipChanged: (who: string, org: string) => `${who} endret et medlemskap i ${org}.`,
      membershipEnded: (who: string, member: string, org: string) => (member ? `${who} avsluttet medlemskapet til ${member} i ${org}.` : `${who} avsluttet et medlemskap i ${org}.`),
      signed: (who: string, org: string, what: string) => `${who} registrerte at ${org} har signert ${what}.`,
      withdrew: (who: string, org: string) => `${who} registrerte at ${org} trakk seg fra en forpliktelse.`,
      other: (who: string, what: string) => (what ? `${who} gjorde en endring: ${what}.` : `${who} gjorde en endring.`),
      changedFrom: (field: string, from: string, to: string) => `${field}: ${from} → ${to}`,
      empty: '(tomt)',
    },
    da: {
      system: 'Samverka',
      created: (who: string, what: string) => `${who} oprettede ${what}.`,
      childCreated: (who: string, what: string, org: string) => `${who} oprettede ${what} under ${org}.`,
      updated: (who: string, org: string) => `${who} ændrede oplysningerne om ${org}.`,
      ended: (who: string, org: string, on: string) => (on ? `${who} registrerede, at ${org} ophørte den ${on}.` : `${who} registrerede, at ${org} er ophørt.`),
      added: (who: string, member: string, org: string, role: string) => `${who} tilføjede ${member} til ${org} som ${role.toLocaleLowerCase('da')}.`,
      membershipChanged: (who: string, org: string) => `${who} ændrede et medlemskab i ${org}.`,
      membershipEnded: (who: string, member: string, org: string) => (member ? `${who} afsluttede medlemskabet for ${member} i ${org}.` : `${who} afsluttede et medlemskab i ${org}.`),
      signed: (who: string, org: string, what: string) => `${who} registrerede, at ${org} har underskrevet ${what}.`,
      withdrew: (who: string, org: string) => `${who} registrerede, at ${org} trak sig fra en forpligtelse.`,
      other: (who: string, what: string) => (what ? `${who} foretog en ændring: ${what}.` : `${who} foretog en ændring.`),
      changedFrom: (field: string, from: string, to: string) => `${field}: ${from} → ${to}`,
      empty: '(tomt)',
    },
  },
);

export type HistoryEvent = { action: string; actorLabel: string; summary: string; changes: Record<string, unknown>; entityId: string };

/** The public name of whoever acted: the e-mail part of the label stays private. */
export function actorName(locale: Locale, label: string): string {
  const name = label.replace(/ <.*>$/, '').trim();
  return !name || name === 'system' || name === 'anonymous' ? hist[locale].system : name;
}

const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/** One history row as a sentence in the page language. */
export function historySentence(locale: Locale, e: HistoryEvent, org: { id: string; name: string }): string {
  const t = hist[locale];
  const who = actorName(locale, e.actorLabel);
  const changes = e.changes as Record<string, { from?: unknown; to?: unknown } | unknown>;
  const to = (k: string) => {
    const v = changes[k];
    return v && typeof v === 'object' && 'to' in v ? String((v as { to: unknown }).to ?? '') : '';
  };
  switch (e.action) {
    case 'organisation.create':
      return e.entityId === org.id ? t.created(who, e.summary || org.name) : t.childCreated(who, e.summary, org.name);
    case 'organisation.child_create':
      return t.childCreated(who, e.summary, org.name);
    case 'organisation.update':
      return t.updated(who, org.name);
    case 'organisation.end':
      return t.ended(who, org.name, to('endedOn') ? formatDate(locale, to('endedOn')) : '');
    case 'membership.create': {
      // The summary is "<member>: <role>( (<label>))", written by the service.
      const m = /^(.*): ([a-z_]+)(?: \((.*)\))?$/.exec(e.summary);
      if (m) {
        const role = isRole(m[2]!) ? roleLabel(locale, m[2]) : m[2]!;
        return t.added(who, m[1]!, org.name, m[3] ? `${role} (${m[3]})` : role);
      }
      return t.other(who, e.summary);
    }
    case 'membership.update':
      return t.membershipChanged(who, org.name);
    case 'membership.end':
      return t.membershipEnded(who, e.summary, org.name);
    case 'commitment.sign':
      return t.signed(who, org.name, e.summary);
    case 'commitment.withdraw':
      return t.withdrew(who, org.name);
    default:
      return t.other(who, e.summary);
  }
}

/** The "field: before → after" lines of an update, values in plain words. */
export function changeLines(locale: Locale, e: HistoryEvent, fieldLabel: (field: string) => string): string[] {
  if (!e.action.endsWith('update')) return [];
  const t = hist[locale];
  const show = (v: unknown) => (v == null || v === '' ? t.empty : String(v));
  return Object.entries(e.changes as Record<string, { from: unknown; to: unknown }>)
    .filter(([, v]) => v && typeof v === 'object')
    .map(([k, v]) => t.changedFrom(fieldLabel(k), show(v.from), show(v.to)));
}
