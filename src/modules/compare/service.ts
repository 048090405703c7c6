/**
 * The one comparison both the page (/compare) and the API (/api/compare) show: an indicator's
 * latest value in every area of a set, best first, with the median and the highlighted area's
 * rank and percentile.
 */
import type { Executor } from '../../platform/db/index.js';
import { indicatorQueries as q, stats, type IndicatorInfo } from '../indicators/index.js';

type Area = { id: string; key: string; country: string };

export type CompareSet = {
  /** null: nothing chosen yet; the set (the default group) is still worked out for the form. */
  indicator: IndicatorInfo | null;
  /** The area to highlight; it joins whatever set is compared. */
  highlight: Area | null;
  /** A group's key; '' means the highlighted area's whole country; undefined lets the area choose (its own group first). */
  group: string | undefined;
  /** Area keys to compare with one another (used when no group is given). */
  areaKeys: string[];
};

export type Comparison = {
  /** The group compared within ('' or undefined: the country, or the listed areas). */
  groupKey: string | undefined;
  rows: q.CompareRow[];
  highlighted: q.CompareRow | undefined;
  median: number | null;
  rank: number | null;
  percentile: number | null;
};

/** Which kind of group an area is compared within by default: similar municipalities first. */
const GROUP_RANK: Record<string, number> = { similar: 0, kolada: 1, network: 2, custom: 3 };

export async function compareLatestValues(db: Executor, s: CompareSet): Promise<Comparison> {
  const { indicator: ind, highlight } = s;
  const listed = s.areaKeys.slice(0, 300);
  // With an area and no choice of set, the default is the area's own group (similar municipalities
  // first), else its country. An explicit empty group (the "whole country" choice) means the country.
  let groupKey = s.group;
  if (s.group === undefined && !listed.length && highlight) {
    groupKey = (await q.listGroups(db, highlight.id)).sort((a, b) => (GROUP_RANK[a.kind] ?? 9) - (GROUP_RANK[b.kind] ?? 9))[0]?.key;
  }
  let rows: q.CompareRow[] = [];
  if (!ind) {
    // Nothing to rank yet.
  } else if (groupKey || listed.length) {
    const setIds = groupKey ? (await q.groupByKey(db, groupKey)).member_ids : (await q.areasByKeys(db, listed)).map((a) => a.id);
    if (highlight && !setIds.includes(highlight.id)) setIds.push(highlight.id);
    rows = await q.compareLatest(db, ind.id, setIds);
  } else {
    rows = await q.compareLatest(db, ind.id, 'country', highlight?.country ?? 'SE');
  }
  // Best first by the indicator's direction (the query orders highest first); neutral stays by value.
  if (ind?.direction === 'lower') rows = [...rows].sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
  const highlighted = highlight ? rows.find((x) => x.key === highlight.key) : undefined;
  const st = stats(rows.map((x) => x.value), highlighted?.value ?? null, ind?.direction);
  return { groupKey, rows, highlighted, median: st.median, rank: st.rank, percentile: st.percentile };
}
