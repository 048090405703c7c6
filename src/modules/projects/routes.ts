import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { PageQuery, pageOf, paged, readErrors, write, writeErrors } from '../../web/api.js';
import { ListFilter, ProjectInput, RatesInput, StartFromResponseInput } from './inputs.js';
import { convert, presentPerCurrency, rateToDecimal, toDecimal, type Amount } from './money.js';
import { presentDetail, presentSummary, ProjectDetail, ProjectSummary } from './present.js';
import { pageProjects, projectView } from './queries.js';
import { CURRENCIES } from './schema.js';
import * as svc from './service.js';
import { networkOverview } from './overview.js';
import { asUploadedFile } from '../../web/multipart.js';

const Ref = z.object({ id: z.string().min(1).max(200).describe('UUID or slug') });
const DocRef = Ref.extend({ documentId: z.string().min(1).max(100) });
const Money = z.object({ currency: z.enum(CURRENCIES), amountMinor: z.number().int(), amount: z.string() });
const ConvertedMoney = Money.extend({ converted: z.literal(true), missingRates: z.array(z.object({ year: z.number().int(), currency: z.enum(CURRENCIES) })) });
const ConvertQuery = z.object({
  network: z.string().max(200).optional().describe('The network whose exchange rates convert the figures'),
  currency: z.enum(CURRENCIES).optional().describe('The currency to convert into (needs network)'),
});
const Rate = z.object({ year: z.number().int(), from: z.enum(CURRENCIES), to: z.enum(CURRENCIES), rate: z.string() });

export async function projectRoutes(app: FastifyInstance, { db, config, storage }: AppDeps & { storage: FileStorage }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = config.publicUrl;
  const tags = ['Projects'];

  r.get('/api/projects', {
    schema: { tags, summary: 'List projects, latest start first (filter by organisation, partner, funder, SDG goal or target, state, year, country)', querystring: ListFilter.extend(PageQuery.shape), response: { 200: pageOf(ProjectSummary) } },
  }, async (req) => {
    const res = await pageProjects(db.orm, req.actor, req.query);
    return paged(req, res.page, res.pageSize, res.total, res.items.map((e) => presentSummary(base, e)));
  });

  r.get('/api/projects/:id', { schema: { tags, summary: 'A project with partners, phases, deadlines, links, documents and funding', params: Ref, response: { 200: ProjectDetail, ...readErrors } } }, async (req) =>
    presentDetail(base, await projectView(db.orm, req.actor, req.params.id)));

  r.post('/api/projects', { schema: { tags, summary: 'Create a project (editors of the owning organisation)', ...write, body: ProjectInput, response: { 201: ProjectDetail, ...writeErrors } } }, async (req, reply) => {
    const p = await svc.createProject(db, req.actor, req.body);
    return reply.code(201).send(presentDetail(base, await projectView(db.orm, req.actor, p.id)));
  });

  r.post('/api/projects/from-response', {
    schema: {
      tags, summary: 'Start a project from an accepted challenge response (editors of the challenge’s owner): owned by the challenge’s owner, the responder as partner, linked to the challenge, its SDG targets copied; planned and visible to owner and partner only',
      ...write, body: StartFromResponseInput, response: { 201: ProjectDetail, ...writeErrors },
    },
  }, async (req, reply) => {
    const p = await svc.startProjectFromResponse(db, req.actor, req.body);
    return reply.code(201).send(presentDetail(base, await projectView(db.orm, req.actor, p.id)));
  });

  r.put('/api/projects/:id', { schema: { tags, summary: 'Replace a project, with its lists (partners, phases, links, funding)', ...write, params: Ref, body: ProjectInput, response: { 200: ProjectDetail, ...writeErrors } } }, async (req) => {
    const p = await svc.updateProject(db, req.actor, req.params.id, req.body);
    return presentDetail(base, await projectView(db.orm, req.actor, p.id));
  });

  r.delete('/api/projects/:id', { schema: { tags, summary: 'Delete a project and its documents', ...write, params: Ref, response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await svc.deleteProject(db, storage, req.actor, req.params.id);
    return reply.code(204).send(null);
  });

  r.post('/api/projects/:id/documents', {
    schema: {
      tags, summary: 'Upload a document (multipart/form-data: file, title); the content is checked against its name', ...write, params: Ref, consumes: ['multipart/form-data'],
      response: { 201: z.object({ id: z.string(), title: z.string(), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number(), url: z.string() }), ...writeErrors },
    },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const d = await svc.addDocument(db, storage, req.actor, req.params.id, { title: body.title }, asUploadedFile(body.file), config.uploadMaxBytes);
    const p = await svc.getProjectRow(db.orm, d.projectId);
    return reply.code(201).send({ id: d.id, title: d.title, fileName: d.fileName, mimeType: d.mimeType, sizeBytes: d.sizeBytes, url: `${base}/projects/${p.slug}/documents/${d.id}` });
  });

  r.delete('/api/projects/:id/documents/:documentId', { schema: { tags, summary: 'Remove a document', ...write, params: DocRef, response: { 204: z.null(), ...writeErrors } } }, async (req, reply) => {
    await svc.removeDocument(db, storage, req.actor, req.params.id, req.params.documentId);
    return reply.code(204).send(null);
  });

  r.get('/api/projects/:id/funding', {
    schema: {
      tags, summary: 'Funding totals per year and per source, per currency; optionally converted with a network’s own rates (marked converted)', params: Ref, querystring: ConvertQuery,
      response: {
        200: z.object({
          byYear: z.array(z.object({ year: z.number().int(), amounts: z.array(Money), converted: ConvertedMoney.optional() })),
          bySource: z.array(z.object({ sourceId: z.string(), funder: z.string(), amounts: z.array(Money), converted: ConvertedMoney.optional() })),
          total: z.array(Money),
          convertedTotal: ConvertedMoney.optional(),
        }),
        ...readErrors,
      },
    },
  }, async (req) => {
    const v = await projectView(db.orm, req.actor, req.params.id);
    const rates = req.query.network && req.query.currency ? (await svc.ratesOf(db.orm, (await svc.orgByRef(db.orm, req.query.network)).id)).map((x) => ({ year: x.year, from: x.fromCurrency, to: x.toCurrency, rateMicro: x.rateMicro })) : null;
    const conv = (amounts: Amount[]) => {
      if (!rates || !req.query.currency) return {};
      const c = convert(amounts, req.query.currency, rates);
      return { converted: { currency: c.currency, amountMinor: Number(c.amountMinor), amount: toDecimal(c.amountMinor), converted: true as const, missingRates: c.missing } };
    };
    const all = v.funding.flatMap((s) => s.amounts);
    return {
      byYear: [...v.totals.byYear].map(([year, amounts]) => ({ year, amounts: presentPerCurrency(amounts), ...conv(all.filter((a) => a.year === year)) })),
      bySource: v.funding.map((s) => ({ sourceId: s.id, funder: s.funder.name, amounts: presentPerCurrency(v.totals.bySource.get(s.id) ?? {}), ...conv(s.amounts) })),
      total: presentPerCurrency(v.totals.total),
      ...(rates ? { convertedTotal: conv(all).converted } : {}),
    };
  });


  r.get('/api/projects/networks/:id/rates', { schema: { tags, summary: 'The exchange rates a network uses', params: Ref, response: { 200: z.object({ rates: z.array(Rate) }), ...readErrors } } }, async (req) => {
    const net = await svc.orgByRef(db.orm, req.params.id);
    return { rates: (await svc.ratesOf(db.orm, net.id)).map((x) => ({ year: x.year, from: x.fromCurrency, to: x.toCurrency, rate: rateToDecimal(x.rateMicro) })) };
  });

  r.put('/api/projects/networks/:id/rates', { schema: { tags, summary: 'Replace the exchange rates a network uses (its editors)', ...write, params: Ref, body: RatesInput, response: { 200: z.object({ count: z.number().int() }), ...writeErrors } } }, async (req) => {
    const res = await svc.setExchangeRates(db, req.actor, req.params.id, req.body);
    return { count: res.count };
  });

  r.get('/api/projects/networks/:id/overview', {
    schema: {
      tags, summary: 'A network’s members’ projects with funding by funder and year, per currency (and converted where the network set rates)', params: Ref, querystring: z.object({ currency: z.enum(CURRENCIES).optional() }),
      response: {
        200: z.object({
          network: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
          projects: z.array(ProjectSummary),
          byFunderAndYear: z.array(z.object({ funder: z.string(), year: z.number().int(), currency: z.enum(CURRENCIES), amountMinor: z.number().int(), amount: z.string(), converted: z.boolean() })),
        }),
        ...readErrors,
      },
    },
  }, async (req) => {
    const o = await networkOverview(db.orm, req.actor, req.params.id, req.query.currency ?? null);
    return {
      network: { id: o.network.id, slug: o.network.slug, name: o.network.name },
      projects: o.projects.map((e) => presentSummary(base, e)),
      byFunderAndYear: o.cells.map((c) => ({ funder: c.funder, year: c.year, currency: c.currency, amountMinor: Number(c.amountMinor), amount: toDecimal(c.amountMinor), converted: c.converted })),
    };
  });
}
