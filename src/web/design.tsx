/**
 * /design: the living style guide. Every design component of components.tsx
 * rendered with sample content, in the reader's language, so that module
 * authors see what to use and the browser tests scan each with axe. It is not
 * in the main navigation.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Alert, KeyFigures, PageHeader, SdgTile, SdgTiles, Section, Table, Tabs, TagList } from './components.js';
import { CheckList, emptyForm, TextField } from './form-fields.js';
import { common } from './i18n/common.js';
import { defineCatalog, formatDate, sortByText } from './i18n/index.js';
import { Layout } from './layout.js';
import { SDG_COLOURS, sdgColours, contrastRatio } from './sdg.js';

const d = defineCatalog(
  {
    title: 'Design components',
    lead: 'The building blocks of every Samverka page, on Designsystemet. Use these instead of writing new markup; each is in src/web/components.tsx.',
    pageHeader: 'Page header with breadcrumbs',
    pageHeaderText: 'This page itself opens with one: breadcrumbs, the one h1, tags, a lead and actions.',
    keyFigures: 'Key figures',
    members: 'Members',
    workingGroups: 'Working groups',
    upcoming: 'Upcoming meetings',
    withData: 'Indicators with data',
    ofTotal: (n: string) => `of ${n}`,
    sections: 'Sections and empty states',
    sectionsText: 'A section with content shows its heading and list. An empty section becomes one line with the next step, or disappears for readers who cannot act.',
    groupsEmpty: 'No working groups yet.',
    addOne: 'Add one',
    decisions: 'Decisions',
    tabs: 'Tabbed sections',
    tabsText: 'Tabs are links, so they work without JavaScript and each has its own address.',
    tabCurrent: 'Current',
    tabPast: 'Past',
    tabCurrentText: 'The current tab’s content is rendered by the server.',
    tabPastText: 'The past tab’s content, at its own address.',
    table: 'Responsive table',
    tableText: 'Narrow the window below 640 px: each row becomes a card with its values labelled.',
    municipality: 'Municipality',
    country: 'Country',
    joined: 'Joined',
    role: 'Role',
    memberRole: 'Member',
    tags: 'Tag list',
    sdg: 'SDG goal tiles',
    sdgText: 'Each goal in its official colour, with its number and short name. The text colour is whichever of black and white contrasts more; the ratio is printed under each tile.',
    checklist: 'Multiple choice with many options',
    checklistText: 'A list of checkboxes that shows at least five rows; with JavaScript a filter field narrows it.',
    areas: 'Areas',
    collation: 'Alphabetical order',
    collationText: 'Lists sort in the page language: in Swedish Å Ä Ö come after Z, in Danish and Norwegian Æ Ø Å do.',
    dates: 'Dates in running text',
    datesText: (d: string) => `The network was founded on ${d}.`,
    alerts: 'Messages',
    saved: 'The changes are saved.',
    field: 'Text field',
    name: 'Name',
  },
  {
    sv: {
      title: 'Designkomponenter',
      lead: 'Byggstenarna i varje sida i Samverka, byggda på Designsystemet. Använd dem i stället för att skriva ny märkning; alla finns i src/web/components.tsx.',
      pageHeader: 'Sidhuvud med brödsmulor',
      pageHeaderText: 'Den här sidan börjar själv med ett: brödsmulor, sidans enda h1, taggar, ingress och åtgärder.',
      keyFigures: 'Nyckeltal',
      members: 'Medlemmar',
      workingGroups: 'Arbetsgrupper',
      upcoming: 'Kommande möten',
      withData: 'Indikatorer med data',
      ofTotal: (n: string) => `av ${n}`,
      sections: 'Avsnitt och tomma lägen',
      sectionsText: 'Ett avsnitt med innehåll visar rubrik och lista. Ett tomt avsnitt blir en rad med nästa steg, eller försvinner för läsare som inte kan göra något.',
      groupsEmpty: 'Inga arbetsgrupper ännu.',
      addOne: 'Lägg till en',
      decisions: 'Beslut',
      tabs: 'Flikar',
      tabsText: 'Flikarna är länkar, så de fungerar utan JavaScript och har var sin adress.',
      tabCurrent: 'Aktuella',
      tabPast: 'Tidigare',
      tabCurrentText: 'Den aktuella flikens innehåll skapas av servern.',
      tabPastText: 'Den tidigare flikens innehåll, på en egen adress.',
      table: 'Responsiv tabell',
      tableText: 'Gör fönstret smalare än 640 px: varje rad blir ett kort med etiketter på värdena.',
      municipality: 'Kommun',
      country: 'Land',
      joined: 'Gick med',
      role: 'Roll',
      memberRole: 'Medlem',
      tags: 'Tagglista',
      sdg: 'Brickor för de globala målen',
      sdgText: 'Varje mål i sin officiella färg, med nummer och kortnamn. Textfärgen är den av svart och vitt som ger högst kontrast; kvoten står under varje bricka.',
      checklist: 'Flerval med många alternativ',
      checklistText: 'En lista med kryssrutor som visar minst fem rader; med JavaScript smalnar ett filterfält av den.',
      areas: 'Områden',
      collation: 'Alfabetisk ordning',
      collationText: 'Listor sorteras efter sidans språk: på svenska kommer Å Ä Ö efter Z, på danska och norska Æ Ø Å.',
      dates: 'Datum i löpande text',
      datesText: (d: string) => `Nätverket grundades den ${d}.`,
      alerts: 'Meddelanden',
      saved: 'Ändringarna är sparade.',
      field: 'Textfält',
      name: 'Namn',
    },
    nb: {
      title: 'Designkomponenter',
      lead: 'Byggesteinene i hver side i Samverka, bygget på Designsystemet. Bruk dem i stedet for å skrive ny markering; alle ligger i src/web/components.tsx.',
      pageHeader: 'Sidetopp med brødsmulesti',
      pageHeaderText: 'Denne siden begynner selv med en: brødsmulesti, sidens eneste h1, merkelapper, ingress og handlinger.',
      keyFigures: 'Nøkkeltall',
      members: 'Medlemmer',
      workingGroups: 'Arbeidsgrupper',
      upcoming: 'Kommende møter',
      withData: 'Indikatorer med data',
      ofTotal: (n: string) => `av ${n}`,
      sections: 'Seksjoner og tomme tilstander',
      sectionsText: 'En seksjon med innhold viser overskrift og liste. En tom seksjon blir én linje med neste steg, eller forsvinner for lesere som ikke kan gjøre noe.',
      groupsEmpty: 'Ingen arbeidsgrupper ennå.',
      addOne: 'Legg til en',
      decisions: 'Vedtak',
      tabs: 'Faner',
      tabsText: 'Fanene er lenker, så de virker uten JavaScript og har hver sin adresse.',
      tabCurrent: 'Nåværende',
      tabPast: 'Tidligere',
      tabCurrentText: 'Innholdet i den nåværende fanen lages av serveren.',
      tabPastText: 'Innholdet i den tidligere fanen, på en egen adresse.',
      table: 'Responsiv tabell',
      tableText: 'Gjør vinduet smalere enn 640 px: hver rad blir et kort med etiketter på verdiene.',
      municipality: 'Kommune',
      country: 'Land',
      joined: 'Ble med',
      role: 'Rolle',
      memberRole: 'Medlem',
      tags: 'Merkelappliste',
      sdg: 'Fliser for bærekraftsmålene',
      sdgText: 'Hvert mål i sin offisielle farge, med nummer og kortnavn. Tekstfargen er den av svart og hvitt som gir høyest kontrast; forholdet står under hver flis.',
      checklist: 'Flervalg med mange alternativer',
      checklistText: 'En liste med avkrysningsbokser som viser minst fem rader; med JavaScript snevrer et filterfelt den inn.',
      areas: 'Områder',
      collation: 'Alfabetisk rekkefølge',
      collationText: 'Lister sorteres etter sidens språk: på svensk kommer Å Ä Ö etter Z, på dansk og norsk Æ Ø Å.',
      dates: 'Datoer i løpende tekst',
      datesText: (d: string) => `Nettverket ble stiftet ${d}.`,
      alerts: 'Meldinger',
      saved: 'Endringene er lagret.',
      field: 'Tekstfelt',
      name: 'Navn',
    },
    da: {
      title: 'Designkomponenter',
      lead: 'Byggestenene i hver side i Samverka, bygget på Designsystemet. Brug dem i stedet for at skrive ny opmærkning; alle ligger i src/web/components.tsx.',
      pageHeader: 'Sidehoved med brødkrummesti',
      pageHeaderText: 'Denne side begynder selv med et: brødkrummesti, sidens eneste h1, tags, manchet og handlinger.',
      keyFigures: 'Nøgletal',
      members: 'Medlemmer',
      workingGroups: 'Arbejdsgrupper',
      upcoming: 'Kommende møder',
      withData: 'Indikatorer med data',
      ofTotal: (n: string) => `af ${n}`,
      sections: 'Afsnit og tomme tilstande',
      sectionsText: 'Et afsnit med indhold viser overskrift og liste. Et tomt afsnit bliver én linje med næste skridt, eller forsvinder for læsere, der ikke kan gøre noget.',
      groupsEmpty: 'Ingen arbejdsgrupper endnu.',
      addOne: 'Tilføj en',
      decisions: 'Beslutninger',
      tabs: 'Faner',
      tabsText: 'Fanerne er links, så de virker uden JavaScript og har hver deres adresse.',
      tabCurrent: 'Aktuelle',
      tabPast: 'Tidligere',
      tabCurrentText: 'Indholdet i den aktuelle fane laves af serveren.',
      tabPastText: 'Indholdet i den tidligere fane, på sin egen adresse.',
      table: 'Responsiv tabel',
      tableText: 'Gør vinduet smallere end 640 px: hver række bliver et kort med etiketter på værdierne.',
      municipality: 'Kommune',
      country: 'Land',
      joined: 'Blev medlem',
      role: 'Rolle',
      memberRole: 'Medlem',
      tags: 'Tagliste',
      sdg: 'Felter for verdensmålene',
      sdgText: 'Hvert mål i sin officielle farve, med nummer og kortnavn. Tekstfarven er den af sort og hvid, der giver størst kontrast; forholdet står under hvert felt.',
      checklist: 'Flervalg med mange muligheder',
      checklistText: 'En liste med afkrydsningsfelter, der viser mindst fem rækker; med JavaScript indsnævrer et filterfelt den.',
      areas: 'Områder',
      collation: 'Alfabetisk rækkefølge',
      collationText: 'Lister sorteres efter sidens sprog: på svensk kommer Å Ä Ö efter Z, på dansk og norsk Æ Ø Å.',
      dates: 'Datoer i løbende tekst',
      datesText: (d: string) => `Netværket blev stiftet den ${d}.`,
      alerts: 'Meddelelser',
      saved: 'Ændringerne er gemt.',
      field: 'Tekstfelt',
      name: 'Navn',
    },
  },
);

/** Sample goal names for the tiles: the design page shows the tile, the indicators module owns the goals. */
const SAMPLE_NAMES = ['Ingen fattigdom', 'Ingen hunger', 'Hälsa och välbefinnande', 'God utbildning för alla', 'Jämställdhet', 'Rent vatten och sanitet', 'Hållbar energi för alla', 'Anständiga arbetsvillkor och ekonomisk tillväxt', 'Hållbar industri, innovationer och infrastruktur', 'Minskad ojämlikhet', 'Hållbara städer och samhällen', 'Hållbar konsumtion och produktion', 'Bekämpa klimatförändringarna', 'Hav och marina resurser', 'Ekosystem och biologisk mångfald', 'Fredliga och inkluderande samhällen', 'Genomförande och globalt partnerskap'];

const SAMPLE_AREAS = ['Örebro kommun', 'Aalborg Kommune', 'Ærø Kommune', 'Zealand', 'Ålesund kommune', 'Östersunds kommun', 'Øygarden kommune', 'Älmhults kommun', 'Växjö kommun', 'Arendal kommune', 'Bergen kommune'];

export async function designPage(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/design', { schema: { hide: true, querystring: z.object({ tab: z.enum(['current', 'past']).default('current') }) } }, async (req, reply) => {
    const l = req.locale;
    const t = d[l];
    const c = common[l];
    const canAct = Boolean(req.user);
    const areas = sortByText(l, SAMPLE_AREAS, (a) => a);
    return reply.html(
      <Layout req={req} title={t.title}>
        <PageHeader
          req={req}
          title={t.title}
          crumbs={[{ href: '/', label: c.navHome }]}
          meta={<TagList label={t.tags} tags={[{ label: 'Designsystemet', color: 'accent' }, { label: 'WCAG 2.1 AA' }]} />}
          lead={<p>{t.lead}</p>}
          actions={
            <a class="ds-button" data-variant="secondary" href="#sdg">
              {t.sdg}
            </a>
          }
        />
        <Section id="header" title={t.pageHeader}>
          <p class="ds-paragraph">{t.pageHeaderText}</p>
        </Section>
        <Section id="figures" title={t.keyFigures}>
          <KeyFigures
            locale={l}
            label={t.keyFigures}
            figures={[
              { label: t.members, value: 24, href: '#figures' },
              { label: t.workingGroups, value: 3, href: '#figures' },
              { label: t.upcoming, value: 2 },
              { label: t.withData, value: 1284, hint: t.ofTotal('1 512') },
            ]}
          />
        </Section>
        <Section id="sections" title={t.sections}>
          <p class="ds-paragraph">{t.sectionsText}</p>
          <Section id="demo-decisions" title={t.decisions} count={2} level={3}>
            <ul class="entity-list">
              <li>§ 4 Gemensamma klimatindikatorer</li>
              <li>§ 5 Budget 2027</li>
            </ul>
          </Section>
          <Section id="demo-groups" title={t.workingGroups} empty whenEmpty={{ text: t.groupsEmpty, action: canAct ? { href: '#sections', label: t.addOne } : undefined, always: true }} />
        </Section>
        <Section id="tabs" title={t.tabs}>
          <p class="ds-paragraph">{t.tabsText}</p>
          <Tabs
            label={t.tabs}
            current={req.query.tab}
            tabs={[
              { id: 'current', label: t.tabCurrent, href: '/design?tab=current#tabs', count: 3 },
              { id: 'past', label: t.tabPast, href: '/design?tab=past#tabs', count: 1 },
            ]}
          >
            <p class="ds-paragraph">{req.query.tab === 'past' ? t.tabPastText : t.tabCurrentText}</p>
          </Tabs>
        </Section>
        <Section id="table" title={t.table}>
          <p class="ds-paragraph">{t.tableText}</p>
          <Table caption={t.areas} head={[t.municipality, t.country, t.role, t.joined]}>
            {[
              ['Växjö kommun', 'Sverige', t.memberRole, '2015-03-12'],
              ['Herning Kommune', 'Danmark', t.memberRole, '2018-09-01'],
              ['Molde kommune', 'Norge', t.memberRole, '2020-04-27'],
            ].map(([n, co, ro, j]) => (
              <tr>
                <td>
                  <a class="ds-link" href="#table">
                    {n}
                  </a>
                </td>
                <td>{co}</td>
                <td>{ro}</td>
                <td>{formatDate(l, j, 'medium')}</td>
              </tr>
            ))}
          </Table>
        </Section>
        <Section id="tags" title={t.tags}>
          <TagList
            label={t.tags}
            tags={[
              { label: 'Klimat', href: '#tags', lang: 'sv' },
              { label: 'Energi', href: '#tags', lang: 'sv' },
              { label: 'Biologisk mångfald', lang: 'sv' },
              { label: c.saved, color: 'success' },
            ]}
          />
        </Section>
        <Section id="sdg" title={t.sdg}>
          <p class="ds-paragraph">{t.sdgText}</p>
          <SdgTiles label={t.sdg}>
            {Object.keys(SDG_COLOURS).map((g, i) => {
              const { background, text } = sdgColours(g);
              return <SdgTile goal={g} name={SAMPLE_NAMES[i]!} lang="sv" href="#sdg" extra={`${contrastRatio(background, text).toFixed(1)} : 1`} />;
            })}
          </SdgTiles>
          <SdgTiles label={t.sdg}>
            <SdgTile goal="7" name={SAMPLE_NAMES[6]!} lang="sv" size="sm" />
            <SdgTile goal="13" name={SAMPLE_NAMES[12]!} lang="sv" size="sm" />
          </SdgTiles>
        </Section>
        <Section id="collation" title={t.collation}>
          <p class="ds-paragraph">{t.collationText}</p>
          <ol class="entity-list">
            {areas.map((a) => (
              <li>{a}</li>
            ))}
          </ol>
        </Section>
        <Section id="dates" title={t.dates}>
          <p class="ds-paragraph">{t.datesText(formatDate(l, '2020-04-27', 'long'))}</p>
        </Section>
        <Section id="forms" title={t.checklist}>
          <form class="form" method="get" action="/design">
            <TextField name="name" label={t.name} form={emptyForm()} />
            <CheckList name="areas" legend={t.areas} description={t.checklistText} options={areas.map((a) => ({ value: a, label: a }))} selected={[areas[1]!]} filterLabel={c.filterOptions} />
          </form>
        </Section>
        <Section id="alerts" title={t.alerts}>
          <Alert color="success">{t.saved}</Alert>
        </Section>
      </Layout>,
    );
  });
}
