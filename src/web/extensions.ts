import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';

/**
 * Places where one module's pages show another module's content without the
 * page's module depending on it: a module adds a renderer here when it registers.
 */
export type OrganisationSection = (req: FastifyRequest, org: { id: string; slug: string; name: string; kind: string; areaId: string | null }) => Promise<VNode | null>;

export type Extensions = { organisationSections: OrganisationSection[] };
export const createExtensions = (): Extensions => ({ organisationSections: [] });
