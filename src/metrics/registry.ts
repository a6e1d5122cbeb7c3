/** Label values of one series, by label name. */
export type Labels = Readonly<Record<string, string>>;

export type Sample = { labels: Labels; value: number };

/** One metric with its series, as the Prometheus text format (version 0.0.4) writes it. */
export type MetricFamily = { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] };

/** The series key of labels: their values in the metric's label order. */
function seriesKey(labelNames: readonly string[], labels: Labels): string {
  return JSON.stringify(labelNames.map((name) => labels[name] ?? ''));
}

/** A number per label set, kept in this process. */
class Series {
  private readonly values = new Map<string, Sample>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected add(labels: Labels, by: number): void {
    const key = seriesKey(this.labelNames, labels);
    const sample = this.values.get(key);
    if (sample) sample.value += by;
    else this.values.set(key, { labels: Object.fromEntries(this.labelNames.map((name) => [name, labels[name] ?? ''])), value: by });
  }

  /** The current value of one series; 0 when it never moved. */
  value(labels: Labels = {}): number {
    return this.values.get(seriesKey(this.labelNames, labels))?.value ?? 0;
  }

  samples(): Sample[] {
    return [...this.values.values()].map((sample) => ({ labels: sample.labels, value: sample.value }));
  }
}

/** Only goes up (per process: it starts at 0 with the process, which Prometheus' rate() expects). */
export class Counter extends Series {
  inc(labels: Labels = {}, by = 1): void {
    this.add(labels, by);
  }
}

/** Goes up and down. */
export class Gauge extends Series {
  inc(labels: Labels = {}): void {
    this.add(labels, 1);
  }

  dec(labels: Labels = {}): void {
    this.add(labels, -1);
  }
}

/** The metrics of one process, in the order they were made. */
export class MetricsRegistry {
  private readonly metrics: { type: MetricFamily['type']; series: Series }[] = [];

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    const counter = new Counter(name, help, labelNames);
    this.metrics.push({ type: 'counter', series: counter });
    return counter;
  }

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    const gauge = new Gauge(name, help, labelNames);
    this.metrics.push({ type: 'gauge', series: gauge });
    return gauge;
  }

  /** Every metric now; one without labels that never moved still shows 0, so dashboards find it. */
  families(): MetricFamily[] {
    return this.metrics.map(({ type, series }) => {
      const samples = series.samples();
      return { name: series.name, help: series.help, type, samples: samples.length === 0 && series.labelNames.length === 0 ? [{ labels: {}, value: 0 }] : samples };
    });
  }
}

const escapeHelp = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const escapeLabel = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/** The Prometheus text exposition format, version 0.0.4. */
export function renderMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${sample.value}`);
  }
  return `${lines.join('\n')}\n`;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
