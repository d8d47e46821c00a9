// Prometheus relabeling and the CloudWatch agent's EMF metric declarations, evaluated (not
// compared as strings), for the fields this project writes and nothing else.
//
// Relabeling, from the Prometheus docs
// (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#relabel_config):
// source labels joined by `separator` (default ";"), `regex` anchored at both ends (default
// "(.*)"), `replacement` default "$1" with $n / ${n} group references, `action` default
// "replace"; `keep` drops what does not match, `drop` what does; a `replace` whose regex does not
// match changes nothing; a label set to "" is removed. Target relabeling runs on what discovery
// yields, metric relabeling on every scraped series (its name in `__name__`).
//
// Metric declarations (CloudWatch agent, "Prometheus metrics: metric_declaration",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights-Prometheus-Setup-configure.html):
// a series is selected when the values of `source_labels`, joined by ";", match `label_matcher`
// and its name matches one of `metric_selectors`; it is published under each dimension set whose
// labels it all has.

export type Labels = Record<string, string>;
export interface RelabelRule {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  replacement?: string;
  target_label?: string;
  action?: 'replace' | 'keep' | 'drop';
}

export function relabel(labels: Labels, rules: RelabelRule[] = []): Labels | undefined {
  let current: Labels = { ...labels };
  for (const rule of rules) {
    const known = ['source_labels', 'separator', 'regex', 'replacement', 'target_label', 'action'];
    const extra = Object.keys(rule).filter((k) => !known.includes(k));
    if (extra.length) throw new Error(`relabel: field(s) ${extra.join(', ')} are not evaluated here`);
    const value = (rule.source_labels ?? []).map((l) => current[l] ?? '').join(rule.separator ?? ';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(value);
    const action = rule.action ?? 'replace';
    if (!['replace', 'keep', 'drop'].includes(action)) throw new Error(`relabel: action ${action} is not evaluated here`);
    if (action === 'keep' && !match) return undefined;
    if (action === 'drop' && match) return undefined;
    if (action === 'replace' && match) {
      const replaced = (rule.replacement ?? '$1').replace(/\$\{(\d+)\}|\$(\d+)/g, (_m, a, b) => match[Number(a ?? b)] ?? '');
      current = { ...current, [rule.target_label!]: replaced };
      if (replaced === '') delete current[rule.target_label!];
    }
  }
  return current;
}

export interface MetricDeclaration {
  source_labels: string[];
  label_matcher: string;
  dimensions: string[][];
  metric_selectors: string[];
}

/** A CloudWatch metric as the agent publishes it: its name and dimension values. */
export const metricKey = (name: string, dimensions: Labels) =>
  `${name}{${Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',')}}`;

/** Every CloudWatch metric one scraped series (with its target labels and `job`) becomes. */
export function published(series: Labels, declarations: MetricDeclaration[]): string[] {
  const name = series.__name__;
  return declarations
    .filter((d) => new RegExp(d.label_matcher).test(d.source_labels.map((l) => series[l] ?? '').join(';')) && d.metric_selectors.some((s) => new RegExp(s).test(name)))
    .flatMap((d) => d.dimensions.filter((set) => set.every((l) => series[l] !== undefined)).map((set) => metricKey(name, Object.fromEntries(set.map((l) => [l, series[l]])))));
}
