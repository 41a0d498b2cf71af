// Time rules: every event inside the run's window (as-of included, nothing after it: responses after as-of
// are censored, as in real CRM data), stimuli inside their campaign's active window, outcomes not before the
// stimulus they answer.
import type { Check } from './types.js';
import { rule, windowBounds } from './sql.js';
import { zeroIn } from './passes.js';

function eventsInWindow(table: 'stimuli' | 'outcomes'): Check {
  return rule(
    `time.${table}.window`,
    'time',
    'events outside the window',
    `${table}.occurred_at must fall inside the run's window (first day 00:00 to as-of 23:59:59).`,
    (ctx) => [
      `SELECT id AS sample FROM ${table}
        WHERE NOT coalesce(occurred_at >= $1::date AND occurred_at < $2::date, false)`,
      windowBounds(ctx),
    ],
    {
      clean:
        table === 'stimuli'
          ? zeroIn('stimuli', 'outside_window')
          : zeroIn('engagement', 'outcomes_outside_window'),
    },
  );
}

export const TIME_CHECKS: readonly Check[] = [
  eventsInWindow('stimuli'),
  eventsInWindow('outcomes'),
  rule(
    'time.outcomes.after_stimulus',
    'time',
    'outcomes before their stimulus',
    'an outcome happens at or after the stimulus it answers.',
    `SELECT o.id AS sample FROM outcomes o JOIN stimuli s ON s.id = o.stimulus_id
      WHERE NOT coalesce(o.occurred_at >= s.occurred_at, false)`,
    { clean: zeroIn('outcomes', 'before_stimulus') },
  ),
  rule(
    'time.stimuli.campaign_window',
    'time',
    'stimuli outside their campaign',
    "a campaign's stimuli fall between its start_date and end_date (inclusive).",
    `SELECT s.id AS sample FROM stimuli s JOIN campaigns c ON c.id = s.campaign_id
      WHERE NOT coalesce(s.occurred_at >= c.start_date AND s.occurred_at < c.end_date + 1, false)`,
    { clean: zeroIn('stimuli', 'outside_campaign') },
  ),
  rule(
    'time.campaigns.window',
    'time',
    'campaigns outside the window',
    "a campaign's active window is inside the run's window and starts no later than it ends.",
    (ctx) => [
      `SELECT id AS sample FROM campaigns
        WHERE NOT coalesce(start_date >= $1::date AND end_date < $2::date AND start_date <= end_date, false)`,
      windowBounds(ctx),
    ],
  ),
  rule(
    'time.rx_history.month',
    'time',
    'rows outside the window',
    'rx_history.month is the first day of one of the window months (samples are hcp_id/month/product).',
    ({ plan }) => [
      `SELECT concat_ws('/', hcp_id, month, product) AS sample FROM rx_history
        WHERE NOT coalesce(month = ANY($1::date[]), false)`,
      [plan.window.months.map((m) => m.start)],
    ],
    { clean: zeroIn('hcps', 'rx_outside_window') },
  ),
  rule(
    'time.territory_assignments.assigned_on',
    'time',
    'assignments after as-of',
    'a territory assignment starts on or before as-of.',
    (ctx) => [
      `SELECT id AS sample FROM territory_assignments WHERE NOT coalesce(assigned_on < $1::date, false)`,
      [windowBounds(ctx)[1]],
    ],
  ),
];
