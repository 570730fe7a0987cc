// The large record of the benchmark: built inside an extension page (no 10 MB round trip
// through the test driver) and written straight into storage.local, as a restored profile or an
// old import would leave it. Shapes follow crate/core/src/model.rs (Record, LeftGroup, Incident).

/**
 * Runs in the extension page: builds a record of `groups` left groups and `incidents` incidents.
 * `compact`: every optional field empty (no URL, adders, event ids, incident group or actor) and
 * short names, the smallest valid JSON for those counts.
 */
export function buildRecord({ groups, incidents, compact = false }) {
  const KINDS = [
    're_added',
    're_invited',
    'bulk_add_warned',
    'bulk_add_proceeded',
    'bulk_add_cancelled',
    'ask_message_copied',
    'sequential_adds_warned',
  ];
  const ACTORS = ['Anna Schmidt', 'Jonas Weber', 'Lea Fischer', 'Paul Wagner', 'Mia Becker'];
  const t0 = Date.UTC(2024, 0, 1);
  const left = [];
  for (let i = 0; i < groups; i += 1) {
    const key = String(100000 + i);
    const readded = compact ? 0 : i % 4;
    left.push({
      site: 'facebook',
      key,
      name: compact ? `G${i}` : `Benchmark group ${i}`,
      url: compact ? null : `https://www.facebook.com/groups/${key}/`,
      first_left: t0 + i * 60000,
      last_left: t0 + i * 60000,
      times_left: 1 + (i % 3),
      readditions: readded,
      last_readded: readded ? t0 + i * 60000 + 3600000 : null,
      reinvitations: 0,
      adders: readded ? { [ACTORS[i % ACTORS.length]]: readded } : {},
      is_out: readded === 0,
      flagging: true,
      events: readded ? [`history:${key}`] : [],
    });
  }
  const history = [];
  const totals = {};
  for (let i = 0; i < incidents; i += 1) {
    const kind = KINDS[i % KINDS.length];
    const received = kind === 're_added' || kind === 're_invited';
    const group = String(100000 + (i % groups));
    history.push({
      id: i + 1,
      kind,
      site: 'facebook',
      group: compact ? null : group,
      group_name: compact ? null : `Benchmark group ${i % groups}`,
      actor: received && !compact ? ACTORS[i % ACTORS.length] : null,
      count: received ? 1 : 20 + (i % 30),
      at: t0 + i * 1000,
      seen: true,
    });
    totals[kind] = (totals[kind] ?? 0) + 1;
  }
  return {
    left,
    incidents: history,
    next_incident_id: incidents + 1,
    totals,
    adders: [],
    recent_adds: [],
  };
}
