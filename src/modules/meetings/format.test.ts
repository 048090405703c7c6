import { test } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { XMLParser } from 'fast-xml-parser';
import { foldLine, renderCalendar } from './ical.js';
import { renderAtom } from './atom.js';
import { richTextToPlain, sanitizeRichText } from '../../web/richtext.js';
import { instantToLocal, localToInstant } from './time.js';

test('rich text keeps the allow-list and drops the rest', () => {
  const dirty =
    '<p onclick="x()">Hej <strong>alla</strong><script>alert(1)</script></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">bad</a><a href="https://example.org/x" target="_blank">ok</a><iframe src="//evil"></iframe>';
  const clean = sanitizeRichText(dirty);
  assert.equal(clean, '<p>Hej <strong>alla</strong></p><a rel="noopener noreferrer">bad</a><a href="https://example.org/x" rel="noopener noreferrer">ok</a>');
  assert.equal(sanitizeRichText('a < b\n\nline 1\nline 2'), '<p>a &lt; b</p><p>line 1<br />line 2</p>');
  assert.equal(richTextToPlain('<p>Indstillingen er tiltrådt.</p><p>A &amp; B</p>'), 'Indstillingen er tiltrådt.\nA & B');
  assert.equal(sanitizeRichText('   '), '');
});

test('local times convert through the meeting time zone, across DST', () => {
  assert.equal(localToInstant('2020-04-27T15:00', 'Europe/Copenhagen')?.toISOString(), '2020-04-27T13:00:00.000Z');
  assert.equal(localToInstant('2020-01-27T15:00', 'Europe/Stockholm')?.toISOString(), '2020-01-27T14:00:00.000Z');
  assert.equal(instantToLocal(new Date('2020-04-27T13:00:00Z'), 'Europe/Oslo'), '2020-04-27T15:00');
  assert.equal(localToInstant('2020-02-31T10:00'), null);
  assert.equal(localToInstant('27.04.2020 15:00'), null);
});

test('long lines fold at 75 octets without splitting characters', () => {
  const line = `SUMMARY:${'Økonomi- og Erhvervsudvalget æøå '.repeat(6)}`;
  const folded = foldLine(line);
  for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part, 'utf8') <= 75, part);
  assert.equal(folded.replace(/\r\n /g, ''), line);
});

test('a calendar parses with ical.js and keeps escaped text, location and join link', () => {
  const ics = renderCalendar({
    name: 'Økonomi- og Erhvervsudvalget',
    dtstamp: new Date('2026-01-01T00:00:00Z'),
    events: [
      {
        uid: 'meeting-1@samverka',
        start: new Date('2020-04-27T13:00:00Z'),
        end: new Date('2020-04-27T15:00:00Z'),
        summary: 'Møde; budget, status\\plan',
        description: 'Linje 1\nLinje 2 med en meget lang tekst '.repeat(5),
        location: 'Skype for Business, https://meet.example.org/abc',
        url: 'https://samverka.example/meetings/1',
        joinUrl: 'https://meet.example.org/abc?x=1,2',
        joinLabel: 'Skype for Business',
        status: 'CONFIRMED',
      },
    ],
  });
  assert.ok(ics.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(ics), 'every line ends in CRLF');
  const comp = new ICAL.Component(ICAL.parse(ics));
  const ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
  assert.equal(ev.uid, 'meeting-1@samverka');
  assert.equal(ev.summary, 'Møde; budget, status\\plan');
  assert.equal(ev.location, 'Skype for Business, https://meet.example.org/abc');
  assert.equal(ev.startDate.toJSDate().toISOString(), '2020-04-27T13:00:00.000Z');
  assert.ok(ev.description.startsWith('Linje 1\nLinje 2'));
  const vevent = comp.getFirstSubcomponent('vevent')!;
  assert.equal(vevent.getFirstPropertyValue('url'), 'https://samverka.example/meetings/1');
  assert.equal(vevent.getFirstPropertyValue('conference'), 'https://meet.example.org/abc?x=1,2');
  assert.ok(vevent.getFirstPropertyValue('dtstamp'));
});

test('an Atom feed parses as XML with its entries', () => {
  const xml = renderAtom({
    id: 'urn:x',
    title: 'Miljöstrategisk <arbetsgrupp> & co',
    selfUrl: 'https://s/feed.atom',
    alternateUrl: 'https://s/',
    updated: new Date('2026-01-01T00:00:00Z'),
    author: 'Samverka',
    entries: [
      { id: 'urn:e1', title: 'Dagordning', updated: new Date('2026-01-01T00:00:00Z'), link: 'https://s/m/1?a=1&b=2', summary: '"quoted" \u0001' },
      { id: 'urn:e2', title: 'Protokoll', updated: new Date('2026-01-02T00:00:00Z'), link: 'https://s/m/1' },
    ],
  });
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
  assert.equal(doc.feed.title, 'Miljöstrategisk <arbetsgrupp> & co');
  assert.equal(doc.feed.entry.length, 2);
  assert.equal(doc.feed.entry[0].link['@_href'], 'https://s/m/1?a=1&b=2');
});
