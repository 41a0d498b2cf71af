// The constraintsJustAdded mode of runValidation (used inside generate, right after the keys were added): the
// checks that keys, uniques and foreign keys prove pass by constraint, everything else is still checked, and a
// constraint that is not there proves nothing. `hcpgen validate` never trusts constraints.
import { expect } from 'chai';
import { runValidation } from '../../src/validation/run.js';
import type { CheckResult, ValidationReport } from '../../src/validation/types.js';
import { freshGeneratedDatabase, type FreshDatabase } from './fresh-data.js';
import { TEST_TARGET } from '../helpers/testdb.js';

const ENFORCED = /^enforced by constraint \S+, added and validated in this transaction$/;

function byName(report: ValidationReport, name: string): CheckResult {
  const r = report.results.find((x) => x.name === name);
  if (!r) throw new Error(`no check named ${name}`);
  return r;
}

for (const kind of [TEST_TARGET]) {
  describe(`validation with constraints just added [${kind}]`, function () {
    let fresh: FreshDatabase;
    before(async function () {
      fresh = await freshGeneratedDatabase(kind);
    });
    after(async function () {
      await fresh?.cleanup();
    });

    it('passes key, foreign-key and NPI-uniqueness checks by constraint, with the same results otherwise', async function () {
      const trusted = await runValidation(fresh.target, { constraintsJustAdded: true });
      const scanned = await runValidation(fresh.target);
      expect(trusted.failed).to.equal(0);
      const enforced = trusted.results.filter((r) => ENFORCED.test(r.detail ?? '')).map((r) => r.name);
      expect(enforced).to.have.members([
        'key.hcp_profiles',
        'key.territory_assignments',
        'key.campaigns',
        'key.stimuli',
        'key.outcomes',
        'key.rx_history',
        'key.engagement_scores',
        'ref.territory_assignments.hcp_id',
        'ref.stimuli.hcp_id',
        'ref.stimuli.campaign_id',
        'ref.outcomes.stimulus_id',
        'ref.outcomes.hcp_id',
        'ref.rx_history.hcp_id',
        'ref.engagement_scores.hcp_id',
        'structure.hcp_profiles.npi_unique',
      ]);
      expect(byName(trusted, 'key.stimuli').detail).to.equal(
        'enforced by constraint stimuli_pkey, added and validated in this transaction',
      );
      // Outside generate nothing is taken on trust.
      expect(scanned.results.filter((r) => ENFORCED.test(r.detail ?? ''))).to.deep.equal([]);
      const strip = (r: ValidationReport) =>
        r.results.map(({ name, status, expected, actual }) => [name, status, expected, actual]);
      expect(strip(trusted)).to.deep.equal(strip(scanned));
    });

    it('checks by query when the constraint is not there, and still catches the damage', async function () {
      await fresh.target.begin();
      try {
        await fresh.target.query('ALTER TABLE stimuli DROP CONSTRAINT stimuli_pkey CASCADE');
        await fresh.target.query(
          'INSERT INTO stimuli SELECT * FROM stimuli WHERE id = (SELECT min(id) FROM stimuli)',
        );
        const first = Number(
          (await fresh.target.query<{ v: unknown }>('SELECT min(id) AS v FROM stimuli')).rows[0]?.v,
        );
        const report = await runValidation(fresh.target, { constraintsJustAdded: true });
        const key = byName(report, 'key.stimuli');
        expect(key.status).to.equal('fail');
        expect(key.samples).to.deep.equal([first]);
        expect(key.offending).to.equal(1);
        // The outcomes' foreign key went with the primary key (CASCADE): checked by query, and it holds.
        const ref = byName(report, 'ref.outcomes.stimulus_id');
        expect(ref.status).to.equal('pass');
        expect(ref.detail ?? '').to.not.match(ENFORCED);
      } finally {
        await fresh.target.rollback();
      }
    });

    it('does not trust a NOT VALID foreign key', async function () {
      await fresh.target.begin();
      try {
        await fresh.target.query('ALTER TABLE stimuli DROP CONSTRAINT stimuli_hcp_id_fkey');
        await fresh.target.query(
          'UPDATE stimuli SET hcp_id = 999999 WHERE id = (SELECT min(id) FROM stimuli)',
        );
        await fresh.target.query(
          'ALTER TABLE stimuli ADD CONSTRAINT stimuli_hcp_id_fkey FOREIGN KEY (hcp_id) REFERENCES hcp_profiles (id) NOT VALID',
        );
        const report = await runValidation(fresh.target, { constraintsJustAdded: true });
        expect(byName(report, 'ref.stimuli.hcp_id').status).to.equal('fail');
      } finally {
        await fresh.target.rollback();
      }
    });
  });
}
