import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findVocabularyEntry, type VocabularyKind } from '../../src/modules/reference/reference.service.js';
import { startTestApp, type TestApp } from '../fixtures/app.js';

/**
 * The examples of the API document: every field that holds a vocabulary code says which vocabulary
 * (`x-vocabulary`) and shows a real code of that vocabulary, not one example for every code field.
 */

let t: TestApp;
let doc: unknown;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await request(t.app).get('/openapi.json').expect(200)).body;
});
afterAll(async () => {
  await t?.close();
});

/** Every schema object of the document with its JSON path. */
function* schemas(node: unknown, path = '$'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* schemas(item, `${path}[${i}]`);
  } else if (node !== null && typeof node === 'object') {
    yield [path, node as Record<string, unknown>];
    for (const [k, v] of Object.entries(node)) yield* schemas(v, `${path}.${k}`);
  }
}

describe('the OpenAPI document', () => {
  it('when a field holds a vocabulary code, then its example is a member of that vocabulary', async () => {
    expect.hasAssertions();
    const seen = new Set<string>();
    for (const [path, s] of schemas(doc)) {
      const kind = s['x-vocabulary'];
      if (typeof kind !== 'string') continue;
      seen.add(kind);
      expect(typeof s.example, `${path} has an example`).toBe('string');
      const entry = await findVocabularyEntry(kind as VocabularyKind, s.example as string);
      expect(entry, `${path}: "${String(s.example)}" is a ${kind} code`).not.toBeNull();
    }
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'accommodation',
        'assistive_device',
        'disability_category',
        'education',
        'job_demand',
        'language',
        'limitation',
        'occupation_group',
        'skill',
        'skill_level',
        'training_programme',
      ]),
    );
  });

  it('when a field names a vocabulary in its description, then it is tagged with that vocabulary', () => {
    const untagged: string[] = [];
    let checked = 0;
    for (const [path, s] of schemas(doc)) {
      const described = /^([a-z_]+) codes?\b/.exec(String(s.description ?? ''))?.[1];
      if (!described || s.type === 'array') continue;
      // A parameter: its schema carries the tag.
      const schema = 'in' in s ? (s.schema as Record<string, unknown>) : s;
      checked++;
      if (schema['x-vocabulary'] !== described) untagged.push(`${path} (${described})`);
    }
    expect(checked).toBeGreaterThan(10);
    expect(untagged).toEqual([]);
  });
});
