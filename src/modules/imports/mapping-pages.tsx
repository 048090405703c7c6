/**
 * Saved mappings: the list, renaming and deleting. A mapping is saved on an upload's mapping step
 * and offered again for files of the same format.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../platform/db/index.js';
import { Layout } from '../../web/layout.js';
import { Alert, Button, Table } from '../../web/components.js';
import { Csrf, ErrorSummary, type FormState } from '../../web/form-fields.js';
import { handleForm } from '../../web/forms.js';
import { defineCatalog, formatDateTime, type Locale } from '../../web/i18n/index.js';
import * as q from './queries.js';
import { assertCanImport } from '../indicators/index.js';
import { canChangeMapping } from './policy.js';
import { deleteMapping, renameMapping } from './uploads.js';

export const mt = defineCatalog(
  {
    title: 'Saved mappings',
    intro: 'Mappings saved on an upload’s mapping step, offered again for files of the same format. The person who saved a mapping, or a platform administrator, can rename or delete it.',
    link: 'Saved mappings',
    none: 'No mappings have been saved yet.',
    name: 'Name',
    format: 'Format',
    saved: 'Saved',
    actions: 'Change',
    newName: (name: string) => `New name for “${name}”`,
    rename: 'Rename',
    remove: (name: string) => `Delete “${name}”`,
    removeShort: 'Delete',
    renamed: 'The mapping was renamed.',
    removed: 'The mapping was deleted.',
    back: 'Back to imports',
  },
  {
    sv: {
      title: 'Sparade mappningar',
      intro: 'Mappningar som sparats i en uppladdnings mappningssteg och som erbjuds igen för filer i samma format. Den som sparade en mappning, eller en plattformsadministratör, kan byta namn på den eller ta bort den.',
      link: 'Sparade mappningar',
      none: 'Inga mappningar har sparats än.',
      name: 'Namn',
      format: 'Format',
      saved: 'Sparad',
      actions: 'Ändra',
      newName: (name: string) => `Nytt namn för ”${name}”`,
      rename: 'Byt namn',
      remove: (name: string) => `Ta bort ”${name}”`,
      removeShort: 'Ta bort',
      renamed: 'Mappningen fick nytt namn.',
      removed: 'Mappningen togs bort.',
      back: 'Tillbaka till importer',
    },
    nb: {
      title: 'Lagrede koblinger',
      intro: 'Koblinger som er lagret i en opplastings koblingstrinn, og som tilbys igjen for filer i samme format. Den som lagret en kobling, eller en plattformadministrator, kan gi den nytt navn eller slette den.',
      link: 'Lagrede koblinger',
      none: 'Ingen koblinger er lagret ennå.',
      name: 'Navn',
      format: 'Format',
      saved: 'Lagret',
      actions: 'Endre',
      newName: (name: string) => `Nytt navn for «${name}»`,
      rename: 'Gi nytt navn',
      remove: (name: string) => `Slett «${name}»`,
      removeShort: 'Slett',
      renamed: 'Koblingen fikk nytt navn.',
      removed: 'Koblingen ble slettet.',
      back: 'Tilbake til importer',
    },
    da: {
      title: 'Gemte tilknytninger',
      intro: 'Tilknytninger, der er gemt i en uploads tilknytningstrin, og som tilbydes igen for filer i samme format. Den, der gemte en tilknytning, eller en platformsadministrator, kan omdøbe eller slette den.',
      link: 'Gemte tilknytninger',
      none: 'Der er endnu ikke gemt nogen tilknytninger.',
      name: 'Navn',
      format: 'Format',
      saved: 'Gemt',
      actions: 'Ændr',
      newName: (name: string) => `Nyt navn til »${name}«`,
      rename: 'Omdøb',
      remove: (name: string) => `Slet »${name}«`,
      removeShort: 'Slet',
      renamed: 'Tilknytningen blev omdøbt.',
      removed: 'Tilknytningen blev slettet.',
      back: 'Tilbage til importer',
    },
  },
);

export function mappingPages(app: FastifyInstance, db: Database) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const page = async (req: FastifyRequest, opts: { done?: 'renamed' | 'removed'; failed?: { id: string; form: FormState } } = {}) => {
    const l: Locale = req.locale;
    const all = await q.listAllMappings(db.orm);
    return (
      <Layout req={req} title={mt[l].title} crumbs={[{ href: '/imports', label: mt[l].back }]}>
        <h1 class="ds-heading" data-size="lg">
          {mt[l].title}
        </h1>
        <p class="ds-paragraph">{mt[l].intro}</p>
        {opts.done && (
          <div role="status">
            <Alert color="success">{opts.done === 'renamed' ? mt[l].renamed : mt[l].removed}</Alert>
          </div>
        )}
        {opts.failed && <ErrorSummary req={req} form={opts.failed.form} labels={{ name: mt[l].name }} />}
        {all.length === 0 ? (
          <p class="ds-paragraph">{mt[l].none}</p>
        ) : (
          <Table caption={mt[l].title} head={[mt[l].name, mt[l].format, mt[l].saved, mt[l].actions]}>
            {all.map((m) => {
              const failed = opts.failed?.id === m.id ? opts.failed.form : null;
              const inputId = `f-name-${m.id}`;
              return (
                <tr>
                  <th scope="row">{m.name}</th>
                  <td>{m.format}</td>
                  <td>{formatDateTime(l, m.created_at)}</td>
                  <td>
                    {canChangeMapping(req.actor, m) && (
                      <div class="ind-filters">
                        <form method="post" action={`/imports/mappings/${m.id}/rename`} class="ind-filters">
                          <Csrf req={req} />
                          <div class="ds-field">
                            <label class="ds-label" for={inputId}>
                              {mt[l].newName(m.name)}
                            </label>
                            <input
                              class="ds-input"
                              id={failed ? 'f-name' : inputId}
                              name="name"
                              value={failed ? (failed.values.name ?? '') : m.name}
                              aria-invalid={failed?.errors.name ? 'true' : undefined}
                              aria-describedby={failed?.errors.name ? 'f-name-err' : undefined}
                            />
                            {failed?.errors.name && (
                              <p class="ds-validation-message" id="f-name-err" data-color="danger">
                                {failed.errors.name}
                              </p>
                            )}
                          </div>
                          <Button variant="secondary">{mt[l].rename}</Button>
                        </form>
                        <form method="post" action={`/imports/mappings/${m.id}/delete`}>
                          <Csrf req={req} />
                          <button class="ds-button" data-variant="tertiary" type="submit" aria-label={mt[l].remove(m.name)}>
                            {mt[l].removeShort}
                          </button>
                        </form>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
        <p class="ds-paragraph">
          <a class="ds-link" href="/imports">
            {mt[l].back}
          </a>
        </p>
      </Layout>
    );
  };

  r.get('/imports/mappings', { schema: { hide: true, querystring: z.object({ done: z.enum(['renamed', 'removed']).optional() }) } }, async (req, reply) => {
    assertCanImport(req.actor);
    return reply.html(await page(req, req.query.done ? { done: req.query.done } : {}));
  });
  const params = z.object({ id: z.string().max(80) });
  r.post('/imports/mappings/:id/rename', { schema: { hide: true, params, body: z.object({ name: z.string().max(1000).default('') }).passthrough() } }, async (req, reply) => {
    assertCanImport(req.actor);
    const res = await handleForm(req, (v) => renameMapping(db, req.actor, req.params.id, v.name ?? ''));
    if (!res.ok) return reply.html(await page(req, { failed: { id: req.params.id, form: res.form } }), 422);
    return reply.redirect('/imports/mappings?done=renamed', 303);
  });
  r.post('/imports/mappings/:id/delete', { schema: { hide: true, params } }, async (req, reply) => {
    assertCanImport(req.actor);
    await deleteMapping(db, req.actor, req.params.id);
    return reply.redirect('/imports/mappings?done=removed', 303);
  });
}
