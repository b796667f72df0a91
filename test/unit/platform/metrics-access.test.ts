import { describe, expect, it } from 'vitest';
import { metricsAccessAllowed } from '../../../platform/metrics.js';

describe('who may read /metrics', () => {
  it('answers loopback callers when no token is configured, and nobody else', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(metricsAccessAllowed({ token: undefined, ip, authorization: undefined })).toBe(true);
    for (const ip of ['10.0.0.5', '203.0.113.7', '::ffff:10.0.0.5', undefined]) expect(metricsAccessAllowed({ token: undefined, ip, authorization: undefined })).toBe(false);
  });

  it('answers any address with the configured bearer token, and refuses loopback without it', () => {
    const token = 'a-long-metrics-token-0123';
    expect(metricsAccessAllowed({ token, ip: '203.0.113.7', authorization: `Bearer ${token}` })).toBe(true);
    expect(metricsAccessAllowed({ token, ip: '127.0.0.1', authorization: undefined })).toBe(false);
    expect(metricsAccessAllowed({ token, ip: '127.0.0.1', authorization: `Bearer ${token}x` })).toBe(false);
    expect(metricsAccessAllowed({ token, ip: '127.0.0.1', authorization: token })).toBe(false);
  });
});
