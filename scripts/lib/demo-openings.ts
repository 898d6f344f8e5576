import { insertOpening } from '../../src/modules/openings/openings.repository.js';
import { insertOrganization, type Organization } from '../../src/modules/orgs/orgs.repository.js';
import { makeCreditCode } from '../../test/fixtures/accounts.js';
import { generateOpenings } from './generate/openings.js';

/**
 * Inserts `count` generated openings (scripts/lib/generate/openings.ts, fixed seed) with one employer
 * organisation per generator employer, 32 inserts in flight at a time. Open ones carry the
 * draft → open step in their history. For benchmarks and demo data only.
 */
export async function insertDemoOpenings(
  count: number,
  seed = 7,
): Promise<{ inserted: number; open: number; ids: string[]; employers: Map<string, Organization> }> {
  const generated = generateOpenings(count, seed);
  const employers = new Map<string, Organization>();
  for (const g of generated)
    if (!employers.has(g.employerKey))
      employers.set(
        g.employerKey,
        await insertOrganization({
          type: 'employer',
          name: `示例企业 ${employers.size + 1} 有限公司`,
          creditCode: makeCreditCode(g.content.regionCode),
          locationCode: g.content.regionCode,
          industryCode: 'C39',
          staffCount: 300,
        }),
      );
  const published = new Date(Date.now() - 86_400_000);
  const ids: string[] = [];
  for (let i = 0; i < generated.length; i += 32) {
    const batch = await Promise.all(
      generated.slice(i, i + 32).map((g) =>
        insertOpening(
          { ...g.content, employerId: employers.get(g.employerKey)!.id, createdBy: 'seed' },
          {
            status: g.status,
            history:
              g.status === 'draft'
                ? []
                : [{ from: 'draft', to: 'open', action: 'open', at: published, by: 'seed' }],
          },
        ),
      ),
    );
    ids.push(...batch.map((o) => o.id));
  }
  return { inserted: ids.length, open: generated.filter((g) => g.status === 'open').length, ids, employers };
}
