import type { FastifyRequest } from 'fastify';
import type { Locale } from '../../web/i18n/index.js';
import { formatDate, sortByText } from '../../web/i18n/index.js';
import { Section, Table, type EmptyState } from '../../web/components.js';
import { dir, orgKindLabel, roleLabel } from './i18n.js';
import type { MemberEntry, SignatureEntry } from './profiles.js';
import type { OrgKind } from './schema.js';

export const orgHref = (o: { slug: string }) => `/organisations/${o.slug}`;
export const personHref = (p: { slug: string }) => `/people/${p.slug}`;

export function KindTag({ locale, kind }: { locale: Locale; kind: OrgKind }) {
  return (
    <span class="ds-tag" data-color="neutral" data-size="sm">
      {orgKindLabel(locale, kind)}
    </span>
  );
}

export function Period({ locale, from, to }: { locale: Locale; from: string | null; to: string | null }) {
  const t = dir[locale];
  if (!from && !to) return null;
  if (from && !to) return <>{t.since(formatDate(locale, from))}</>;
  return <>{t.period(from ? formatDate(locale, from) : '…', to ? formatDate(locale, to) : '…')}</>;
}

function roleText(locale: Locale, e: MemberEntry) {
  return `${roleLabel(locale, e.membership.role)}${e.membership.label ? ` (${e.membership.label})` : ''}`;
}

/**
 * One table of memberships. `show` picks the columns: the member (on an
 * organisation's page) or the organisation (on a person's or member's page).
 */
export function MembershipTable({
  req,
  entries,
  show,
  caption,
  canEdit,
}: {
  req: FastifyRequest;
  entries: MemberEntry[];
  show: 'member' | 'organisation' | 'representative';
  caption: string;
  canEdit?: boolean;
}) {
  const l = req.locale;
  const t = dir[l];
  return (
    <Table
      caption={caption}
      head={[
        show === 'member' ? t.member : t.networkName,
        ...(show === 'representative' ? [t.personCol] : []),
        t.roleCol,
        t.onBehalfOf,
        t.sinceCol,
        t.untilCol,
        ...(canEdit ? [{ hidden: t.editMembership }] : []),
      ]}
    >
        {sortByText(l, entries, (e) => (show === 'member' ? (e.person?.name ?? e.memberOrganisation?.name ?? '') : e.organisation.name)).map((e) => (
          <tr>
            <td>
              {show === 'member' ? (
                e.person ? (
                  <a class="ds-link" href={personHref(e.person)}>
                    {e.person.name}
                  </a>
                ) : e.memberOrganisation ? (
                  <a class="ds-link" href={orgHref(e.memberOrganisation)}>
                    {e.memberOrganisation.name}
                  </a>
                ) : null
              ) : (
                <a class="ds-link" href={orgHref(e.organisation)}>
                  {e.organisation.name}
                </a>
              )}
              {show === 'member' && e.person?.title && <span class="muted"> · {e.person.title}</span>}
            </td>
            {show === 'representative' && (
              <td>
                {e.person && (
                  <a class="ds-link" href={personHref(e.person)}>
                    {e.person.name}
                  </a>
                )}
              </td>
            )}
            <td>{roleText(l, e)}</td>
            <td>
              {e.onBehalfOf && (
                <a class="ds-link" href={orgHref(e.onBehalfOf)}>
                  {e.onBehalfOf.name}
                </a>
              )}
            </td>
            <td>{e.membership.startDate ? formatDate(l, e.membership.startDate, 'medium') : ''}</td>
            <td>{e.membership.endDate ? formatDate(l, e.membership.endDate, 'medium') : ''}</td>
            {canEdit && (
              <td>
                <a class="ds-link" href={`/memberships/${e.membership.id}/edit`}>
                  {t.editMembership}
                  <span class="visually-hidden">: {e.person?.name ?? e.memberOrganisation?.name}</span>
                </a>
              </td>
            )}
          </tr>
        ))}
    </Table>
  );
}

/**
 * Splits entries into current and past and shows each under its own heading.
 * Empty, it collapses into one line offering `whenEmpty`'s action, or
 * disappears for readers who cannot act.
 */
export function CurrentAndPast({
  req,
  entries,
  show,
  title,
  empty,
  canEdit,
  id,
  whenEmpty,
}: {
  req: FastifyRequest;
  entries: MemberEntry[];
  show: 'member' | 'organisation' | 'representative';
  title: string;
  empty: string;
  canEdit?: boolean;
  id: string;
  whenEmpty?: EmptyState;
}) {
  const t = dir[req.locale];
  const current = entries.filter((e) => e.current);
  const past = entries.filter((e) => !e.current);
  return (
    <Section id={id} title={title} count={current.length || undefined} empty={entries.length === 0} whenEmpty={whenEmpty ?? { text: empty }}>
      {current.length > 0 && <MembershipTable req={req} entries={current} show={show} caption={`${title}: ${t.currentRoles}`} canEdit={canEdit} />}
      {past.length > 0 && <MembershipTable req={req} entries={past} show={show} caption={`${title}: ${t.pastRoles}`} canEdit={canEdit} />}
    </Section>
  );
}

export function SignatureTable({ req, entries, show, caption, canEnd }: { req: FastifyRequest; entries: SignatureEntry[]; show: 'commitment' | 'organisation'; caption: string; canEnd?: (e: SignatureEntry) => boolean }) {
  const l = req.locale;
  const t = dir[l];
  return (
    <Table caption={caption} head={[show === 'commitment' ? t.commitments : t.signatory, t.signedOn, t.endedOn, t.note, ...(canEnd ? [{ hidden: t.withdraw }] : [])]}>
        {entries.map((e) => (
          <tr>
            <td>
              {show === 'commitment' ? (
                <a class="ds-link" href={`/commitments/${e.commitment.slug}`} lang={e.commitment.lang}>
                  {e.commitment.title}
                </a>
              ) : (
                <a class="ds-link" href={orgHref(e.organisation)}>
                  {e.organisation.name}
                </a>
              )}
            </td>
            <td>{e.signature.signedOn ? formatDate(l, e.signature.signedOn, 'medium') : ''}</td>
            <td>{e.signature.endedOn ? formatDate(l, e.signature.endedOn, 'medium') : ''}</td>
            <td>{e.signature.note ?? ''}</td>
            {canEnd && (
              <td>
                {canEnd(e) && e.current && (
                  <form method="post" action={`/signatures/${e.signature.id}/end`} class="inline-form">
                    <input type="hidden" name="_csrf" value={req.csrfToken} />
                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                      {t.withdraw}
                      <span class="visually-hidden">: {show === 'commitment' ? e.commitment.title : e.organisation.name}</span>
                    </button>
                  </form>
                )}
              </td>
            )}
          </tr>
        ))}
    </Table>
  );
}
