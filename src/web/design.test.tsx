import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'preact-render-to-string';
import { collator, formatDate, sortByText } from './i18n/index.js';
import { contrastRatio, SDG_COLOURS, sdgColours } from './sdg.js';
import { KeyFigures, Section, SdgTile, Table } from './components.js';

const names = ['Zealand', 'Ærø', 'Örebro', 'Østersund', 'Ålesund', 'Älmhult', 'Aalborg', 'Bergen'];

test('Swedish sorts Å Ä Ö after Z', () => {
  assert.deepEqual(sortByText('sv', ['Örebro', 'Älmhult', 'Ålesund', 'Zealand', 'Arboga'], (x) => x), ['Arboga', 'Zealand', 'Ålesund', 'Älmhult', 'Örebro']);
});

test('Danish and Norwegian sort Æ Ø Å after Z', () => {
  for (const l of ['da', 'nb'] as const) {
    assert.deepEqual(sortByText(l, ['Ålesund', 'Øygarden', 'Ærø', 'Zealand', 'Bergen'], (x) => x), ['Bergen', 'Zealand', 'Ærø', 'Øygarden', 'Ålesund'], l);
  }
});

test('English sorts accented letters with their base letter', () => {
  const sorted = sortByText('en', names, (x) => x);
  assert.equal(sorted.at(-1), 'Zealand');
  assert.ok(sorted.indexOf('Örebro') < sorted.indexOf('Zealand'));
});

test('collation ignores case and reads numbers as numbers', () => {
  assert.equal(collator('sv').compare('område 10', 'Område 9') > 0, true);
  assert.equal(collator('da').compare('aarhus', 'Aarhus'), 0);
});

test('dates in running text are written out in the page language', () => {
  assert.equal(formatDate('da', '2020-04-27'), '27. april 2020');
  assert.equal(formatDate('nb', '2020-04-27'), '27. april 2020');
  assert.equal(formatDate('sv', '2020-04-27'), '27 april 2020');
  assert.equal(formatDate('en', '2020-04-27'), '27 April 2020');
});

test('every SDG tile text reaches 4.5:1 on its official colour', () => {
  assert.equal(Object.keys(SDG_COLOURS).length, 17);
  for (const g of Object.keys(SDG_COLOURS)) {
    const { background, text } = sdgColours(g);
    assert.ok(contrastRatio(background, text) >= 4.5, `goal ${g}: ${contrastRatio(background, text)}`);
  }
  assert.equal(sdgColours('7').text, '#000000', 'yellow goal 7 gets dark text');
  assert.equal(sdgColours('17').text, '#FFFFFF');
});

test('SDG tile names its goal number for screen readers and carries the colour', () => {
  const html = render(<SdgTile goal="13" name="Climate action" href="/sdg/13" />);
  assert.match(html, /--sdg-bg:#3F7E44/);
  assert.match(html, /<span class="visually-hidden">13\. <\/span>Climate action/);
});

test('tables label every cell with its column so they can become lists', () => {
  const html = render(
    <Table caption="Areas" head={['Name', 'Country', { hidden: 'Actions' }]}>
      <tr>
        <td>Växjö</td>
        <td>SE</td>
        <td>edit</td>
      </tr>
    </Table>,
  );
  assert.match(html, /<td data-label="Name">Växjö<\/td><td data-label="Country">SE<\/td><td>edit<\/td>/);
});

test('an empty section is one line with the action, and nothing for readers who cannot act', () => {
  const withAction = render(<Section id="g" title="Working groups" empty whenEmpty={{ text: 'None yet.', action: { href: '/new', label: 'Add one' } }} />);
  assert.match(withAction, /class="section-empty"/);
  assert.match(withAction, /href="\/new"/);
  assert.equal(render(<Section id="g" title="Working groups" empty whenEmpty={{ text: 'None yet.' }} />), '');
  const full = render(
    <Section id="g" title="Working groups" count={2}>
      <p>x</p>
    </Section>,
  );
  assert.match(full, /<h2[^>]*id="g-h"/);
});

test('key figures format numbers in the page language', () => {
  assert.match(render(<KeyFigures locale="sv" label="Nyckeltal" figures={[{ label: 'Indikatorer', value: 12345 }]} />), /12\u00a0345/);
  assert.match(render(<KeyFigures locale="en" label="Key figures" figures={[{ label: 'Indicators', value: 12345 }]} />), /12,345/);
});
