/**
 * What every module's plugin receives, and the extension slots through which
 * one module's pages show another module's content without depending on it.
 * Lives in platform so that modules never import the app that imports them.
 */
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Config } from '../config.js';
import type { Database } from './db/index.js';

/**
 * The organisation a section is for. `area`: the area it governs (territorial organisations), as
 * the page already read it, so that sections need not read it again; undefined where the caller
 * has not read it (then a section reads it by areaId).
 */
export type OrganisationRef = { id: string; slug: string; name: string; kind: string; areaId: string | null; area?: AreaRef | null };
export type AreaRef = { id: string; key: string; name: string; country: string; level: string };

/** A section another module adds to an organisation's page (null: nothing to show). */
export type OrganisationSection = (req: FastifyRequest, org: OrganisationRef) => Promise<VNode | null>;

/** A key figure on an organisation's page: a count with a label and, where there is one, a link. */
export type KeyFigure = { label: string; value: number | string; href?: string };
export type OrganisationFigures = (req: FastifyRequest, org: OrganisationRef) => Promise<KeyFigure[]>;

/** A section another module adds to an area's page (/areas/{key}). */
export type AreaSection = (req: FastifyRequest, area: AreaRef) => Promise<VNode | null>;

/** A section another module adds to the home page's overview. */
export type HomeSection = (req: FastifyRequest) => Promise<VNode | null>;

/** A section another module adds to a plan action's page (/actions/{id}), e.g. the projects carrying it out. */
export type ActionSection = (req: FastifyRequest, action: { id: string; planId: string; organisationId: string }) => Promise<VNode | null>;

/** A section another module adds to a challenge's page (/challenges/{id}); canManage: the reader manages the challenge. */
export type ChallengeSection = (req: FastifyRequest, challenge: { id: string; organisationId: string; canManage: boolean }) => Promise<VNode | null>;

/**
 * A section another module adds to a meeting's page (plans: its follow-up items). `items` are the
 * agenda items this reader may see (closed ones only for those who may read them).
 */
export type MeetingRef = { id: string; title: string; organiserIds: string[]; items: { id: string; label: string }[] };
export type MeetingSection = (req: FastifyRequest, meeting: MeetingRef) => Promise<VNode | null>;

/** A target another module holds for an indicator in one area, with its label in the request's language. */
export type IndicatorTarget = { areaId: string; value: number; year: number; label: string };
/**
 * What another module adds to an indicator's page for the areas it shows (progress: the targets,
 * drawn as dashed lines and listed in the table, a sentence for the chart's summary, and the status
 * per area as a section).
 */
export type IndicatorOverlay = (
  req: FastifyRequest,
  indicator: { id: string; code: string; decimals: number; unit: string },
  areas: { id: string; key: string; name: string }[],
) => Promise<{ targets: IndicatorTarget[]; summary: string | null; rowLabel: string; section: VNode | null }>;

export type Extensions = {
  organisationSections: OrganisationSection[];
  organisationFigures: OrganisationFigures[];
  areaSections: AreaSection[];
  homeSections: HomeSection[];
  actionSections: ActionSection[];
  challengeSections: ChallengeSection[];
  meetingSections: MeetingSection[];
  indicatorOverlays: IndicatorOverlay[];
};

export const createExtensions = (): Extensions => ({
  organisationSections: [],
  organisationFigures: [],
  areaSections: [],
  homeSections: [],
  actionSections: [],
  challengeSections: [],
  meetingSections: [],
  indicatorOverlays: [],
});

export type AppDeps = {
  config: Config;
  db: Database;
  secret: string;
  /** Absent when a module is mounted alone (in its own tests): then nothing extends other pages. */
  extensions?: Extensions;
};
