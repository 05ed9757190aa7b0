import { describe, expect, it, vi } from 'vitest';
import {
  countAccountLock,
  countRateLimitRefusal,
  countSignIn,
  metricsText,
  observeRequestDuration,
  provideDatabaseFigures,
  type DatabaseFigures,
} from '@/lib/observability/metrics.mjs';

/** The value of one sample in Prometheus text, or undefined when there is no such sample. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const FIGURES: DatabaseFigures = {
  outboxPending: 3,
  outboxDead: 1,
  outboxOldestPendingAgeSeconds: 42.5,
  alertFanOutsUnfinished: 2,
  verificationQueueDepth: 5,
  verificationQueueOldestAgeSeconds: 3600,
};

describe('metrics', () => {
  it('counts sign-ins, locks and refusals by their labels', async () => {
    const before = (await metricsText()).text;
    const series = 'portal_sign_ins_total{audience="agency",step="password",outcome="wrong_password"}';
    countSignIn('agency', 'password', 'wrong_password');
    countSignIn('agency', 'password', 'wrong_password');
    countAccountLock('temporary', 'sign-in');
    countRateLimitRefusal('signin-fail-ip');
    const after = (await metricsText()).text;
    expect((sample(after, series) ?? 0) - (sample(before, series) ?? 0)).toBe(2);
    expect(sample(after, 'portal_account_locks_total{lock="temporary",pathway="sign-in"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'portal_rate_limit_refusals_total{limit="signin-fail-ip"}')).toBeGreaterThanOrEqual(1);
  });

  it('folds methods outside the HTTP set into one label value', async () => {
    observeRequestDuration('BREW', '/help', 200, 0.002);
    observeRequestDuration('GET', '/help', 200, 0.002);
    const { text } = await metricsText();
    expect(sample(text, 'portal_http_request_duration_seconds_count{method="OTHER",route="/help",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('method="BREW"');
  });

  it('reads the database figures once for many scrapes in a short while', async () => {
    const reader = vi.fn(async () => FIGURES);
    provideDatabaseFigures(reader);
    const scrapes = await Promise.all([metricsText(), metricsText(), metricsText()]);
    await metricsText();
    expect(reader).toHaveBeenCalledTimes(1);
    const { text } = scrapes[0]!;
    expect(sample(text, 'portal_mail_outbox_pending')).toBe(3);
    expect(sample(text, 'portal_mail_outbox_dead')).toBe(1);
    expect(sample(text, 'portal_mail_outbox_oldest_pending_age_seconds')).toBe(42.5);
    expect(sample(text, 'portal_status_alert_fanouts_unfinished')).toBe(2);
    expect(sample(text, 'portal_verification_queue_depth')).toBe(5);
    expect(sample(text, 'portal_verification_queue_oldest_age_seconds')).toBe(3600);
    expect(sample(text, 'portal_database_figures_up')).toBe(1);
  });

  it('says the database figures are stale when they cannot be read, and still answers', async () => {
    provideDatabaseFigures(async () => FIGURES);
    await metricsText();
    provideDatabaseFigures(async () => {
      throw new Error('database is locked');
    });
    const { text } = await metricsText();
    expect(sample(text, 'portal_database_figures_up')).toBe(0);
    expect(sample(text, 'portal_mail_outbox_pending')).toBe(3);
  });
});
