/**
 * Grafana dashboards as code: a small typed builder for the dashboard JSON model (schemaVersion
 * 39) — rows of panels laid out on Grafana's 24-column grid, every query naming its data source by
 * the fixed uids {@link DatasourceUid} that {@link Grafana} provisions. The JSON is built here, never
 * copied from upstream files (decision 0087).
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */
import { IConstruct } from 'constructs';
import { ErrorCode, InfraFluxError } from '../core/errors';

/** The data sources Grafana provisions, by fixed uid (dashboards reference these). */
export class DatasourceUid {
  public static readonly PROMETHEUS = new DatasourceUid('prometheus', 'prometheus');
  public static readonly ALERTMANAGER = new DatasourceUid('alertmanager', 'alertmanager');
  public static readonly LOKI = new DatasourceUid('loki', 'loki');
  public static readonly TEMPO = new DatasourceUid('tempo', 'tempo');
  private constructor(
    public readonly uid: string,
    /** Grafana's data source plugin type. */
    public readonly type: string,
  ) {}
}

/** One query of a panel. */
export interface PanelQuery {
  /** PromQL (Prometheus) or LogQL (Loki). */
  readonly expr: string;
  /**
   * Legend, with `{{label}}` templates.
   * @default - Grafana's default legend
   */
  readonly legend?: string;
}

/** Units Grafana formats (the panel's `fieldConfig.defaults.unit`). */
export class PanelUnit {
  public static readonly NONE = new PanelUnit('none');
  public static readonly PERCENT_UNIT = new PanelUnit('percentunit');
  public static readonly SECONDS = new PanelUnit('s');
  public static readonly BYTES = new PanelUnit('bytes');
  public static readonly OPS = new PanelUnit('ops');
  public static readonly DATE_TIME_FROM_NOW = new PanelUnit('dateTimeFromNow');
  private constructor(public readonly value: string) {}
}

export interface PanelOptions {
  readonly title: string;
  readonly queries: readonly PanelQuery[];
  /** @default PanelUnit.NONE */
  readonly unit?: PanelUnit;
  /**
   * Width on the 24-column grid.
   * @default 12
   */
  readonly width?: number;
  /** @default 8 */
  readonly height?: number;
  /** @default - none */
  readonly description?: string;
}

/** A panel: a time series, a stat, a table or a logs view. */
export class Panel {
  /** Lines over time (Prometheus). */
  public static timeSeries(options: PanelOptions): Panel {
    return new Panel('timeseries', DatasourceUid.PROMETHEUS, options);
  }
  /** One number per series, the last value (Prometheus). */
  public static stat(options: PanelOptions): Panel {
    return new Panel('stat', DatasourceUid.PROMETHEUS, { width: 6, height: 4, ...options });
  }
  /** A table of instant values (Prometheus). */
  public static table(options: PanelOptions): Panel {
    return new Panel('table', DatasourceUid.PROMETHEUS, { width: 24, ...options });
  }
  /** Log lines (Loki, LogQL). */
  public static logs(options: PanelOptions): Panel {
    return new Panel('logs', DatasourceUid.LOKI, { width: 24, height: 10, ...options });
  }

  private constructor(
    public readonly type: string,
    public readonly datasource: DatasourceUid,
    public readonly options: PanelOptions,
  ) {}
}

/** A titled row of panels. */
export interface DashboardRow {
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface DashboardProps {
  /** Stable uid (the URL `/d/<uid>` and the ConfigMap name), a DNS label of at most 40 characters. */
  readonly uid: string;
  readonly title: string;
  readonly rows: readonly DashboardRow[];
  /** @default [] */
  readonly tags?: readonly string[];
  /**
   * Grafana folder (the sidecar's folder annotation).
   * @default 'InfraFlux'
   */
  readonly folder?: string;
  /**
   * Default time range, a Grafana relative time like `now-6h`.
   * @default 'now-6h'
   */
  readonly from?: string;
}

/** A dashboard; {@link toJson} renders Grafana's JSON model. */
export class Dashboard {
  public readonly uid: string;
  public readonly title: string;
  public readonly folder: string;
  public readonly rows: readonly DashboardRow[];

  public constructor(private readonly props: DashboardProps) {
    this.uid = props.uid;
    this.title = props.title;
    this.folder = props.folder ?? 'InfraFlux';
    this.rows = props.rows;
  }

  /** Every query with its panel, for checks (data sources present, PromQL parses). */
  public queries(): { panel: string; datasource: DatasourceUid; expr: string }[] {
    return this.rows.flatMap((r) => r.panels.flatMap((p) => p.options.queries.map((q) => ({ panel: `${r.title} / ${p.options.title}`, datasource: p.datasource, expr: q.expr }))));
  }

  /** The data sources the dashboard's queries use. */
  public datasources(): DatasourceUid[] {
    return [...new Set(this.rows.flatMap((r) => r.panels.map((p) => p.datasource)))];
  }

  /**
   * Throws {@link ErrorCode.TELEMETRY_DASHBOARD} for `scope` when the uid is not a DNS label of at
   * most 40 characters, a row or panel is empty, a panel is wider than the grid, or a query is blank.
   */
  public validate(scope: IConstruct): this {
    const fail = (msg: string): never => {
      throw new InfraFluxError(ErrorCode.TELEMETRY_DASHBOARD, scope, `dashboard "${this.uid}": ${msg}`);
    };
    if (!/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(this.uid)) fail('uid must be a DNS label of at most 40 characters (a-z, 0-9, -)');
    if (this.title.trim() === '') fail('title is empty');
    if (this.rows.length === 0) fail('has no rows');
    for (const r of this.rows) {
      if (r.panels.length === 0) fail(`row "${r.title}" has no panels`);
      for (const p of r.panels) {
        const o = p.options;
        if (o.queries.length === 0) fail(`panel "${o.title}" has no queries`);
        const w = o.width ?? 12;
        if (!Number.isInteger(w) || w < 1 || w > 24) fail(`panel "${o.title}" width ${w} must be 1-24 (the grid has 24 columns)`);
        for (const q of o.queries) if (q.expr.trim() === '') fail(`panel "${o.title}" has an empty query`);
      }
    }
    return this;
  }

  /** Grafana's dashboard JSON model; panels flow left to right, a new line when a row is full. */
  public toJson(): Record<string, unknown> {
    const panels: Record<string, unknown>[] = [];
    let id = 1;
    let y = 0;
    for (const row of this.rows) {
      panels.push({ type: 'row', id: id++, title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
      y += 1;
      let x = 0;
      let lineHeight = 0;
      for (const p of row.panels) {
        const o = p.options;
        const w = o.width ?? 12;
        const h = o.height ?? 8;
        if (x + w > 24) {
          x = 0;
          y += lineHeight;
          lineHeight = 0;
        }
        const ds = { type: p.datasource.type, uid: p.datasource.uid };
        panels.push({
          type: p.type,
          id: id++,
          title: o.title,
          ...(o.description ? { description: o.description } : {}),
          datasource: ds,
          gridPos: { h, w, x, y },
          fieldConfig: { defaults: { unit: (o.unit ?? PanelUnit.NONE).value }, overrides: [] },
          options: p.type === 'logs' ? { showTime: true, wrapLogMessage: true, sortOrder: 'Descending' } : p.type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : {},
          targets: o.queries.map((q, i) => ({
            refId: String.fromCharCode(65 + i),
            datasource: ds,
            expr: q.expr,
            ...(q.legend ? { legendFormat: q.legend } : {}),
            ...(p.type === 'table' ? { instant: true, format: 'table' } : {}),
          })),
        });
        x += w;
        lineHeight = Math.max(lineHeight, h);
      }
      y += lineHeight;
    }
    return {
      uid: this.uid,
      title: this.title,
      tags: [...(this.props.tags ?? []), 'infraflux'],
      editable: false,
      schemaVersion: 39,
      version: 1,
      refresh: '1m',
      time: { from: this.props.from ?? 'now-6h', to: 'now' },
      timezone: 'utc',
      templating: { list: [] },
      annotations: { list: [] },
      panels,
    };
  }
}
