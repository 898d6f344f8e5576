/**
 * `npx tsx scripts/bench-match-size.ts [-- --profiles 2000 --openings 100 --seed 1]`
 *
 * Bytes per stored match (BSON, as MongoDB stores it) of suggestions as the matching runs write
 * them, with reasons stored as codes and parameters against the same match with the sentences
 * stored as well (how matches were stored before). Pure CPU on generated data, no services: the
 * eligible pairs of each opening's top 20 are laid out as applyMatchOps writes them.
 */
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { createMatchContext } from '../src/modules/matching/context.js';
import { toStoredReason } from '../src/modules/matching/reasons.js';
import { score } from '../src/modules/matching/score.js';
import { generateMatchingData } from './lib/generate/matching-data.js';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '2000' },
    openings: { type: 'string', default: '100' },
    seed: { type: 'string', default: '20160101' },
  },
});
const data = generateMatchingData({
  seed: Number(args.seed),
  profiles: Number(args.profiles),
  openings: Number(args.openings),
});
const ctx = createMatchContext(data.context);
const { calculateObjectSize, ObjectId } = mongoose.mongo.BSON;

const withText: number[] = [];
const codesOnly: number[] = [];
const now = new Date();
for (const o of data.openings) {
  const top = data.profiles
    .map((p) => ({ p, r: score(p, o, ctx) }))
    .filter((x) => x.r.eligible)
    .sort((a, b) => b.r.score - a.r.score)
    .slice(0, 20);
  for (const { p, r } of top) {
    const doc = {
      _id: new ObjectId(),
      profileId: new ObjectId().toHexString(),
      openingId: new ObjectId().toHexString(),
      employerId: new ObjectId().toHexString(),
      profileRegionPath: ['510000', '513400', p.originCounty],
      openingRegionPath: ['440000', o.city],
      profileCategory: 'physical',
      profileLevel: '3',
      status: 'suggested',
      version: 1,
      score: r.score,
      components: r.components,
      algorithmVersion: r.algorithmVersion,
      inOpeningTop: true,
      inProfileTop: false,
      suggestedAt: now,
      history: [],
      createdAt: now,
      updatedAt: now,
    };
    withText.push(calculateObjectSize({ ...doc, reasons: r.reasons }));
    codesOnly.push(calculateObjectSize({ ...doc, reasons: r.reasons.map(toStoredReason) }));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mean = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length));
console.log(
  JSON.stringify({
    matches: withText.length,
    bytesWithText: { median: median(withText), mean: mean(withText) },
    bytesCodesOnly: { median: median(codesOnly), mean: mean(codesOnly) },
    node: process.version,
  }),
);
