import type { ComponentUptime, DayState } from '@/lib/status/uptime';
import styles from './status.module.css';

const COLOUR: Record<DayState, string> = {
  operational: '#00703c',
  maintenance: '#1d4f91',
  degraded: '#b58800',
  partial: '#d4351c',
  major: '#8e1e12',
  'no-data': '#b1b4b6',
};

const LABEL: Record<DayState, string> = {
  operational: 'No incidents',
  maintenance: 'Planned maintenance',
  degraded: 'Degraded performance',
  partial: 'Partial outage',
  major: 'Major outage',
  'no-data': 'No data',
};

// Shorter bars for worse days, so that the picture does not rely on colour alone.
const HEIGHT: Record<DayState, number> = { operational: 40, 'no-data': 40, maintenance: 34, degraded: 30, partial: 24, major: 18 };

function describe(day: ComponentUptime['days'][number]): string {
  const parts = [LABEL[day.state]];
  if (day.downMinutes) parts.push(`${day.downMinutes} min down`);
  if (day.degradedMinutes) parts.push(`${day.degradedMinutes} min degraded`);
  if (day.maintenanceMinutes) parts.push(`${day.maintenanceMinutes} min maintenance`);
  return `${day.date}: ${parts.join(', ')}`;
}

export function UptimeLegend() {
  return (
    <ul className={styles.legend} aria-label="Colours of the uptime bars">
      {(Object.keys(LABEL) as DayState[]).map((state) => (
        <li key={state}>
          <span className={styles.swatch} style={{ background: COLOUR[state] }} aria-hidden="true" />
          {LABEL[state]}
        </li>
      ))}
    </ul>
  );
}

/** 90 days at a glance: one bar a day, a text alternative, and the percentage. */
export function UptimeBars({ name, slug, uptime }: { name: string; slug: string; uptime: ComponentUptime }) {
  const notable = uptime.days.filter((day) => day.state !== 'operational' && day.state !== 'no-data');
  const percent = uptime.percent === null ? 'no data yet' : `${uptime.percent.toFixed(2)}% uptime`;
  const summary = `${name}, last ${uptime.days.length} days: ${percent}; ${
    notable.length === 0 ? 'no incidents or maintenance' : `${notable.length} ${notable.length === 1 ? 'day' : 'days'} with incidents or maintenance`
  }.`;
  const width = 4;
  return (
    <div>
      <svg
        className={styles.bars}
        viewBox={`0 0 ${uptime.days.length * width} 40`}
        preserveAspectRatio="none"
        role="img"
        aria-labelledby={`uptime-${slug}`}
      >
        {uptime.days.map((day, index) => (
          <rect key={day.date} x={index * width} y={40 - HEIGHT[day.state]} width={width - 1} height={HEIGHT[day.state]} fill={COLOUR[day.state]}>
            <title>{describe(day)}</title>
          </rect>
        ))}
      </svg>
      <div className={styles.barScale} aria-hidden="true">
        <span>{uptime.days.length} days ago</span>
        <span>{percent}</span>
        <span>Today</span>
      </div>
      <p className="visually-hidden" id={`uptime-${slug}`}>
        {summary}
      </p>
      {notable.length > 0 && (
        <details>
          <summary>
            {/* Each component's toggle needs a name of its own: a list of four identical ones says nothing. */}
            Days with incidents or maintenance<span className="visually-hidden"> for {name}</span>
          </summary>
          <ul>
            {notable.map((day) => (
              <li key={day.date}>{describe(day)}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
