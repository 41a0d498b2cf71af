// Promotion rules (issue 14): rep-delivered stimuli carry the HCP's assigned rep of the channel's role, no rep
// exceeds the daily in-person capacity, no HCP gets two in-person calls on one day (unless the scenario allows
// it), event times fall in the channel's local business hours, rep channels skip federal holidays, only
// targets get rep calls, and the profile's target flag and time zone follow the scenario. Event times are local
// wall-clock times, so every rule reads occurred_at as it is: no time-zone function (DuckDB would need ICU).
import type { Plan } from '../plan/types.js';
import type { Check } from './types.js';
import { fmt, rule } from './sql.js';
// Plans recorded before these rules existed lack their fields (promotionPlan): the checks then have nothing to
// hold the data to. The row rules on stimuli are proven by the shared stimuli pass, the per-day rules by the
// calls pass, when those find nothing (src/validation/passes.ts); otherwise each rule runs its own query.
import { promotionPlan, stimuliCounts, zeroIn } from './passes.js';

function skipped(reason: string): Check['run'] {
  return async () => ({ status: 'skip', expected: 'n/a', actual: `n/a (${reason})` });
}

/**
 * The channel|role pairs a rep-delivered stimulus may carry: its channel's role, and for the over-capacity
 * channel the roles of the in-person calls it stands in for.
 */
export function allowedRepRoles(plan: Plan): Set<string> {
  const t = plan.territories;
  const roleName = (r: 'primary' | 'secondary' | null): string =>
    r === 'secondary' ? t.secondaryRole : t.primaryRole;
  const allowed = new Set<string>();
  for (const c of plan.channels) if (c.repDelivered) allowed.add(`${c.id}|${roleName(c.repRole)}`);
  const over = plan.channels[t.overCapacityChannel];
  if (over) {
    for (const c of plan.channels)
      if (c.inPerson && c.repDelivered) allowed.add(`${over.id}|${roleName(c.repRole)}`);
  }
  return allowed;
}

export function promotionChecks(plan: Plan): Check[] {
  if (!promotionPlan(plan)) {
    return [
      {
        name: 'promotion.plan',
        category: 'structure',
        run: skipped('the run was recorded before rep attribution, targeting and local time'),
      },
    ];
  }
  const repChannels = plan.channels.filter((c) => c.repDelivered).map((c) => c.id);
  const inPerson = plan.channels.filter((c) => c.inPerson && c.repDelivered).map((c) => c.id);
  const t = plan.territories;
  const allowed = allowedRepRoles(plan);
  const zones = plan.population.states;
  const cityZones = zones.flatMap((s) =>
    s.cities.flatMap((c) => (c.timeZone ? [{ state: s.code, city: c.name, zone: c.timeZone }] : [])),
  );
  const tg = plan.targeting;

  const checks: Check[] = [
    rule(
      'promotion.stimuli.rep_attribution',
      'referential',
      'stimuli with a wrong rep',
      "a rep-delivered stimulus carries the HCP's assigned rep (territory_assignments) of the channel's role in rep_id / rep_role; other channels carry none.",
      () => [
        `SELECT s.id AS sample FROM stimuli s
           LEFT JOIN territory_assignments t ON t.hcp_id = s.hcp_id AND t.rep_id = s.rep_id AND t.role = s.rep_role
          WHERE CASE WHEN s.channel = ANY($1::text[])
                     THEN t.hcp_id IS NULL OR NOT coalesce(s.channel || '|' || s.rep_role = ANY($2::text[]), false)
                     ELSE s.rep_id IS NOT NULL OR s.rep_role IS NOT NULL END`,
        [repChannels, [...allowed]],
      ],
      // Only the generator states this fact (src/validation/stated/): the shared scan has no territory join.
      { clean: zeroIn('stimuli', 'rep_attribution') },
    ),
    rule(
      'promotion.stimuli.rep_capacity',
      'structure',
      'rep-days over capacity',
      `a rep makes at most ${t.dailyCapacity} in-person calls (${inPerson.join(', ') || 'none'}) a day; samples are the first stimulus of each rep-day over it.`,
      () => [
        `SELECT min(id) AS sample FROM stimuli
          WHERE channel = ANY($1::text[]) AND rep_id IS NOT NULL
          GROUP BY rep_id, CAST(occurred_at AS date) HAVING count(*) > $2::integer`,
        [inPerson, t.dailyCapacity],
      ],
      { clean: zeroIn('calls', 'over_capacity') },
    ),
    plan.stimuli.sameDayInPerson
      ? {
          name: 'promotion.stimuli.same_day_in_person',
          category: 'structure',
          run: skipped('the scenario allows it'),
        }
      : rule(
          'promotion.stimuli.same_day_in_person',
          'structure',
          'HCP-days with two in-person calls',
          'an HCP gets at most one in-person call a day, by any rep (stimuli.same_day_in_person allows more); samples are the first stimulus of each such HCP-day.',
          () => [
            `SELECT min(id) AS sample FROM stimuli WHERE channel = ANY($1::text[])
              GROUP BY hcp_id, CAST(occurred_at AS date) HAVING count(*) > 1`,
            [inPerson],
          ],
          { clean: zeroIn('calls', 'same_day_in_person') },
        ),
    rule(
      'promotion.stimuli.business_hours',
      'time',
      'stimuli outside their channel hours',
      "a stimulus happens inside its channel's hours, in local time of the HCP's time_zone (occurred_at is local wall-clock time).",
      () => [
        `SELECT s.id AS sample FROM stimuli s
           JOIN (SELECT unnest($1::text[]) AS channel, unnest($2::integer[]) AS h0, unnest($3::integer[]) AS h1) c
             ON c.channel = s.channel
          WHERE NOT coalesce(date_part('hour', s.occurred_at) >= c.h0 AND date_part('hour', s.occurred_at) < c.h1, false)`,
        [
          plan.channels.map((c) => c.id),
          plan.channels.map((c) => c.hours.start),
          plan.channels.map((c) => c.hours.end),
        ],
      ],
      { clean: zeroIn('stimuli', 'off_hours') },
    ),
    plan.holidays.length === 0
      ? {
          name: 'promotion.stimuli.holidays',
          category: 'time',
          run: skipped('no federal holiday in the window'),
        }
      : rule(
          'promotion.stimuli.holidays',
          'time',
          'rep stimuli on federal holidays',
          `rep-delivered stimuli skip US federal holidays and their observed days (${plan.holidays.length} in the window).`,
          () => [
            `SELECT id AS sample FROM stimuli
              WHERE channel = ANY($1::text[]) AND CAST(CAST(occurred_at AS date) AS text) = ANY($2::text[])`,
            [repChannels, plan.holidays],
          ],
          { clean: zeroIn('stimuli', 'rep_on_holiday') },
        ),
    rule(
      'promotion.hcp_profiles.time_zone',
      'structure',
      'HCPs with the wrong time zone',
      "an HCP's time_zone is its city's IANA zone from the scenario where the city has one, else its state's.",
      () => [
        `SELECT h.id AS sample FROM hcp_profiles h
           LEFT JOIN (SELECT unnest($1::text[]) AS state, unnest($2::text[]) AS zone) z ON z.state = h.state
           LEFT JOIN (SELECT unnest($3::text[]) AS state, unnest($4::text[]) AS city, unnest($5::text[]) AS zone) c
             ON c.state = h.state AND c.city = h.city
          WHERE z.zone IS NULL OR h.time_zone IS DISTINCT FROM coalesce(c.zone, z.zone)`,
        [
          zones.map((s) => s.code),
          zones.map((s) => s.timeZone),
          cityZones.map((c) => c.state),
          cityZones.map((c) => c.city),
          cityZones.map((c) => c.zone),
        ],
      ],
    ),
    rule(
      'promotion.hcp_profiles.is_target',
      'structure',
      'HCPs with a wrong target flag',
      "is_target is 1 exactly for the HCPs the scenario's targeting rule selects (every HCP without a rule).",
      () => [
        `SELECT id AS sample FROM hcp_profiles
          WHERE is_target IS DISTINCT FROM CASE WHEN
                (NOT $1::boolean OR (($2::text[] IS NULL OR taxonomy_code = ANY($2::text[]))
                  AND ($3::text[] IS NULL OR tier = ANY($3::text[]))
                  AND ($4::text[] IS NULL OR segment = ANY($4::text[])))) THEN 1 ELSE 0 END`,
        [tg.declared, tg.specialties, tg.tiers, tg.segments],
      ],
    ),
  ];
  if (tg.declared && !tg.repCallsToNonTargets) {
    checks.push(
      rule(
        'promotion.stimuli.non_target_rep_calls',
        'structure',
        'rep calls to non-targets',
        'the scenario gives non-targets no rep-delivered stimuli (targeting.rep_calls_to_non_targets is false).',
        () => [
          `SELECT s.id AS sample FROM stimuli s JOIN hcp_profiles h ON h.id = s.hcp_id
            WHERE s.channel = ANY($1::text[]) AND h.is_target = 0`,
          [repChannels],
        ],
        { clean: zeroIn('stimuli', 'rep_to_non_target') },
      ),
    );
  }
  if (tg.declared && tg.specialties !== null) {
    const specialties = tg.specialties;
    checks.push({
      name: 'promotion.stimuli.non_target_specialty_share',
      category: 'structure',
      async run(q, ctx) {
        const f = await stimuliCounts(ctx, 'rep_details', 'rep_details_outside');
        // The pass's counts are the query's own when no join repeats a stimulus.
        const counted = f
          ? { details: f.rep_details, outside: f.rep_details_outside }
          : (
              await q.query<{ details: unknown; outside: unknown }>(
                `SELECT count(*) AS details, count(*) FILTER (WHERE NOT coalesce(h.taxonomy_code = ANY($2::text[]), false)) AS outside
                     FROM stimuli s JOIN hcp_profiles h ON h.id = s.hcp_id WHERE s.channel = ANY($1::text[])`,
                [repChannels, specialties],
              )
            ).rows[0];
        const details = Number(counted?.details ?? 0);
        const share = details > 0 ? Number(counted?.outside ?? 0) / details : 0;
        const pass = share < 0.02;
        return {
          status: pass ? 'pass' : 'fail',
          expected: '< 0.02',
          actual: fmt(share),
          ...(pass
            ? {}
            : {
                detail:
                  'specialties outside the target list get 2% or more of the rep-delivered stimuli (details).',
              }),
        };
      },
    });
  }
  return checks;
}
