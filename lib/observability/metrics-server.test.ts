import { describe, expect, it } from 'vitest';
import { metricsSettings } from '@/lib/observability/metrics-server.mjs';

describe('metrics listener settings', () => {
  it('is off unless METRICS_PORT is set', () => {
    expect(metricsSettings({}, 3000)).toBeNull();
    expect(metricsSettings({ METRICS_PORT: '' }, 3000)).toBeNull();
    expect(metricsSettings({ METRICS_PORT: '  ' }, 3000)).toBeNull();
  });

  it('binds to loopback unless METRICS_HOST says otherwise', () => {
    expect(metricsSettings({ METRICS_PORT: '9464' }, 3000)).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(metricsSettings({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }, 3000)).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it.each(['0', '65536', '94x', '-1', '9464.5', '0x10'])('refuses METRICS_PORT=%s, naming it', (value) => {
    expect(() => metricsSettings({ METRICS_PORT: value }, 3000)).toThrow(/METRICS_PORT/);
  });

  it("never shares the app's port", () => {
    expect(() => metricsSettings({ METRICS_PORT: '3000' }, 3000)).toThrow(/METRICS_PORT must differ from PORT/);
  });
});
