import { describe, expect, it } from 'vitest';
import { MetricsRegistry, renderMetrics } from '../../src/metrics/registry.js';

describe('the Prometheus text format (0.0.4)', () => {
  it('writes HELP and TYPE once per metric, then a line per label set, with escaped label values', () => {
    const registry = new MetricsRegistry();
    const sent = registry.counter('x_sent_total', 'Sent.\nPer process.', ['server']);
    const clients = registry.gauge('x_clients', 'Clients.');
    sent.inc({ server: 'pbx1' });
    sent.inc({ server: 'pbx1' }, 2);
    sent.inc({ server: 'say "hi"\\' });
    clients.inc();
    clients.inc();
    clients.dec();
    expect(renderMetrics(registry.families())).toBe(
      [
        '# HELP x_sent_total Sent.\\nPer process.',
        '# TYPE x_sent_total counter',
        'x_sent_total{server="pbx1"} 3',
        'x_sent_total{server="say \\"hi\\"\\\\"} 1',
        '# HELP x_clients Clients.',
        '# TYPE x_clients gauge',
        'x_clients 1',
        '',
      ].join('\n'),
    );
    expect(sent.value({ server: 'pbx1' })).toBe(3);
  });

  it('shows a metric without labels at 0 before it moves, and one with labels without samples', () => {
    const registry = new MetricsRegistry();
    registry.counter('x_plain_total', 'Plain.');
    registry.counter('x_labelled_total', 'Labelled.', ['server']);
    expect(renderMetrics(registry.families())).toContain('x_plain_total 0\n# HELP x_labelled_total Labelled.\n# TYPE x_labelled_total counter\n');
  });
});
